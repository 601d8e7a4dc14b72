"""The shared adversarial harness: the 2-D mode-collapse experiment and the 28×28 DCGAN loop.

Notebooks 04-08 (GAN, D2GAN, MGAN, KGAN, GEN) plug their own *losses* and, where the model
needs it, their own networks into the same machinery, so every model is compared with GAN in
one shared setting, with the same seeds and the same budget. The parts, one module each:

* :mod:`.ensemble` — :class:`EnsembleLinear` / :func:`mlp` (the networks of several seeds in
  one module), :func:`init_members` (member *i* seeded from seed *i* alone; fails loudly on a
  parameter it cannot seed per member), :class:`MemberStreams` (data and noise per member).
* :mod:`.losses` — the models' losses as functions of the discriminator and the batches, the
  equation in each docstring (GAN, D2GAN, MGAN).
* :mod:`.enclosing` — GEN's soft enclosing ball (SVDD) in random-feature space and the
  generator's terms: enclosure, two-sided enclosure, MMD².
* :mod:`.networks` — MGAN's K generators per seed (:class:`Generators2D`).
* :mod:`.kernel` — KGAN's random-feature discriminator, the hinge dual and its solver, the
  max–max generator loss and the min–max variant of the same objective.
* :mod:`.loop` — :func:`train_2d`, the alternating D and G steps for all seeds at once.
* :mod:`.evaluate` — :func:`evaluate_2d` (one result shape: modes, covered, hq, skl, w),
  :func:`reference_rows` (noise and real data), :func:`summarize`, :func:`metric_means`.
* :mod:`.figures` — snapshots of the median seed, every seed, coverage curves, covered vs HQ.
* :mod:`.flow` — the capacity control: rectified flow / conditional flow matching
  (:class:`FlowGenerator`, :func:`flow_loss`), a generator of the setting's size with no game.
* :mod:`.optimal` — :func:`fit_discriminator_1d`, the 1-D optimal-player check.
* :mod:`.experiment` — :class:`Setting2D` (the shared setting), :class:`Model`,
  :func:`compare_2d` / :class:`Comparison` (the table every notebook shows).
* :mod:`.registry` — every model of the tables by family, key and role (:func:`entries`).
* :mod:`.paper` — the benchmark's paper-scale preset (PacGAN's networks and budget).
* :mod:`.images` — DCGAN networks, :func:`train_images`, :func:`evaluate_images`,
  :class:`DigitModel`; :mod:`.digits` — :func:`compare_digits` and :func:`stacked_experiment`.
"""

from __future__ import annotations

from types import ModuleType

from ..stats import contrast, mean_se, read
from .digits import DigitRun, compare_digits, digits_table, image_setting, stacked_experiment
from .enclosing import EnclosingBall, enclosure, gen_g_loss, mmd2, svdd_loss, two_sided
from .ensemble import EnsembleLinear, MemberStreams, init_members, mlp
from .evaluate import (
    METRICS,
    Reference2D,
    evaluate_2d,
    metric_means,
    plot_reach,
    reference_rows,
    summarize,
)
from .experiment import (
    IMAGE_SPECS,
    LAYOUT_DEFAULTS,
    SETTING_SPECS,
    Comparison,
    Model,
    Setting2D,
    compare_2d,
    d2gan,
    flow,
    from_params,
    gan,
    gen,
    kernel_minmax,
    kgan,
    mgan,
    setting_defaults,
    shared_setting,
)
from .figures import median_member, plot_coverage, plot_covered_vs_hq, plot_seeds, plot_snapshots
from .flow import FlowGenerator, NoCritic, flow_loss, flow_step, gaussian_velocity, integrate
from .images import (
    DCDiscriminator,
    DCGenerator,
    DigitModel,
    ImageResult,
    dcgan,
    evaluate_images,
    generate_images,
    nearest_training_images,
    to_unit,
    train_images,
)
from .kernel import (
    KernelCritic,
    duality_gap,
    hinge_dual,
    hinge_dual_value,
    hinge_primal,
    kernel_d_loss,
    kernel_g_loss,
    kgan_g_loss,
    kgan_inner,
    kgan_trunk_loss,
    rff_kernel_error,
)
from .loop import LossFn, Result2D, train_2d
from .losses import (
    TwoDiscriminators,
    classifier_xent,
    d2gan_d_loss,
    d2gan_g_loss,
    gan_d_loss,
    gan_g_loss,
    gan_g_loss_saturating,
    generator_ids,
    log_softplus,
    mgan_d_loss,
    mgan_g_loss,
)
from .networks import Generators2D
from .optimal import fit_discriminator_1d
from .registry import Entry, ModelSpec, entries, slug

#: Every public name imported above (the package's API, one list: the modules' own).
__all__ = sorted(
    name
    for name, value in globals().items()
    if not name.startswith("_")
    and name not in ("annotations", "ModuleType")
    and not isinstance(value, ModuleType)
)
