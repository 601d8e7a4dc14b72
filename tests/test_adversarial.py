import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch.nn import functional as F  # noqa: E402

from utils import adversarial as adv  # noqa: E402
from utils import data  # noqa: E402
from utils.train import TrainingDiverged  # noqa: E402

gan_d_loss, gan_g_loss = adv.gan_d_loss, adv.gan_g_loss


def test_gan_baseline_losses_are_minus_the_value_function():
    d_real, d_fake = torch.randn(2, 5, 1), torch.randn(2, 7, 1)
    lookup = {id(a): b for a, b in ((d_real, d_real), (d_fake, d_fake))}

    def D(x):
        return lookup[id(x)]

    p_real, p_fake = torch.sigmoid(d_real), torch.sigmoid(d_fake)
    minus_v = -(torch.log(p_real).mean((1, 2)) + torch.log(1 - p_fake).mean((1, 2)))
    assert torch.allclose(adv.gan_d_loss(D, d_real, d_fake), minus_v, atol=1e-6)
    assert torch.allclose(adv.gan_g_loss(D, d_fake), -torch.log(p_fake).mean((1, 2)), atol=1e-6)


def test_ensemble_linear_is_independent_linear_layers():
    layer = adv.EnsembleLinear(3, 4, 5)
    x = torch.randn(3, 7, 4)
    y = layer(x)
    for i in range(3):
        assert torch.allclose(y[i], x[i] @ layer.weight[i] + layer.bias[i], atol=1e-6)
    assert "n_models=3" in repr(layer)
    small = adv.EnsembleLinear(2, 3, 3, init_std=0.01)
    assert torch.all(small.bias == 0) and small.weight.std() < 0.05


def test_mlp_builder_and_errors():
    net = adv.mlp([2, 8, 8, 1], n_models=2, activation="leaky_relu", out_activation="softplus")
    out = net(torch.randn(2, 5, 2))
    assert out.shape == (2, 5, 1) and torch.all(out > 0)
    with pytest.raises(ValueError, match="sizes"):
        adv.mlp([2])
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        adv.mlp([2, 3], activation="swish")


def test_member_init_depends_on_its_seed_only():
    together = adv.mlp([3, 4, 1], n_models=3)
    alone = adv.mlp([3, 4, 1], n_models=1)
    adv.init_members([together], [5, 6, 7])
    adv.init_members([alone], [6])
    assert torch.equal(together[0].weight[1], alone[0].weight[0])
    assert torch.equal(together[2].bias[1], alone[2].bias[0])
    with pytest.raises(ValueError, match="not a multiple"):
        adv.init_members([adv.mlp([2, 2], n_models=3)], [0, 1])


def test_streams_are_per_member():
    a = adv.MemberStreams([0, 1]).noise(4, 3)
    b = adv.MemberStreams([1]).noise(4, 3)
    assert torch.equal(a[1], b[0]) and not torch.equal(a[0], a[1])
    u = adv.MemberStreams([0]).noise(1000, 2, "uniform")
    assert u.min() >= -1 and u.max() <= 1
    with pytest.raises(ValueError, match="unknown kind"):
        adv.MemberStreams([0]).noise(2, 2, "cauchy")
    x = adv.MemberStreams([0, 1]).real(data.ring(), 10)
    assert x.shape == (2, 10, 2)


def run(seeds, steps=30, mixture=None, **kw):
    g = adv.mlp([4, 16, 2], len(seeds))
    d = adv.mlp([2, 16, 1], len(seeds))
    return adv.train_2d(
        g,
        d,
        gan_d_loss,
        gan_g_loss,
        mixture or data.ring(),
        seeds=seeds,
        steps=steps,
        batch=32,
        z_dim=4,
        n_eval=200,
        progress=False,
        **kw,
    )


def test_ensemble_training_matches_training_alone():
    """Adam is element-wise and members share nothing: seed 1 learns the same in a group."""
    together = run([0, 1], snapshot_steps=[0, 30], curve_every=10)
    alone = run([1])
    np.testing.assert_allclose(together.samples[1], alone.samples[0], atol=1e-4)
    assert sorted(together.snapshots) == [0, 30]
    assert together.snapshots[0].shape == (2, 1000, 2)
    assert list(together.curve["step"]) == [0, 10, 20, 30]
    assert together.curve["modes"].shape == (4, 2) and together.curve["covered"].shape == (4, 2)
    assert list(together.metrics.index) == [0, 1]
    assert set(together.metrics.columns) == {"modes", "covered", "hq", "skl", "w", "moved"}
    assert len(together.history["d_loss"]) == len(together.history["step"])
    assert 0 < together.train_s < together.wall_s


def test_train_2d_rejects_bad_budgets():
    with pytest.raises(ValueError, match="at least one seed"):
        run([])
    with pytest.raises(ValueError, match="batch must be a positive int"):
        adv.train_2d(
            adv.mlp([2, 2]), adv.mlp([2, 1]), gan_d_loss, gan_g_loss, data.ring(),
            seeds=[0], steps=1, batch=0,
        )  # fmt: skip


def test_nan_loss_stops_training():
    def bad(D, real, fake):
        return gan_d_loss(D, real, fake) * float("nan")

    with pytest.raises(TrainingDiverged, match="d_loss = nan at step 0"):
        adv.train_2d(
            adv.mlp([4, 8, 2]), adv.mlp([2, 8, 1]), bad, gan_g_loss, data.ring(),
            seeds=[0], steps=5, z_dim=4, batch=8, progress=False,
        )  # fmt: skip


def test_evaluate_2d_perfect_and_collapsed_generators():
    grid = data.grid()
    perfect = grid.sample(2500, seed=3)
    one_mode = grid.centers[7] + grid.std * np.random.default_rng(0).standard_normal((2500, 2))
    table = adv.evaluate_2d(np.stack([perfect, one_mode]), grid, seeds=[0, 1])
    assert table.loc[0, "modes"] == 25 and table.loc[0, "hq"] > 0.99
    assert table.loc[0, "covered"] == 25 and table.loc[1, "covered"] == 1
    assert table.loc[1, "modes"] == 1 and table.loc[1, "hq"] > 0.99
    assert table.loc[0, "skl"] < 0.5 < 5 < table.loc[1, "skl"]
    assert table.loc[0, "w"] < 0.2 < 2 < table.loc[1, "w"]
    single = adv.evaluate_2d(perfect, grid)  # one (n, 2) set is one member
    assert list(single.index) == [0]
    with pytest.raises(ValueError, match="members, n, 2"):
        adv.evaluate_2d(np.zeros((2, 3, 3)), grid)


def test_summary_table_and_figures():
    a = run([0, 1], snapshot_steps=[0, 30], curve_every=15)
    a.name = "gan"
    table = adv.summarize({"gan": a})
    assert table.loc[("gan", "ring"), "seeds"] == 2
    assert "±" in table.loc[("gan", "ring"), "modes"]
    means = adv.metric_means(a)
    assert set(means) == {m + s for m in (*adv.METRICS, "moved") for s in ("", "_se")}
    assert 0 <= means["hq"] <= 1 and means["covered_se"] >= 0
    fig = adv.plot_snapshots([a], colors=lambda r, s: np.zeros(1000))
    assert len(fig.axes) == 2 and "median seed" in fig.axes[0].get_title()
    fig = adv.plot_coverage([a])
    assert fig.axes[0].get_ylabel().startswith("modes covered")
    assert len(adv.plot_seeds(a).axes) == 2
    refs = adv.reference_rows(a.mixture, a.seeds, n=500)
    fig = adv.plot_covered_vs_hq([a], list(refs.values()))
    assert fig.axes[0].get_xlabel() == "high-quality share"
    plt.close("all")


def test_optimal_discriminator_1d_matches_closed_form():
    from scipy.stats import norm

    def minus_value(d, w_data, w_model):  # minus GAN's value function, D = sigmoid(d)
        return (w_data * F.softplus(-d[:, 0]) + w_model * F.softplus(d[:, 0])).sum()

    pd_, pg_ = norm(0, 1).pdf, norm(1.5, 0.7).pdf
    x, d = adv.fit_discriminator_1d(minus_value, pd_, pg_, steps=800, lo=-4, hi=5, points=500)
    dstar = pd_(x) / (pd_(x) + pg_(x))
    mask = (pd_(x) + pg_(x)) > 1e-2
    err = np.abs(1 / (1 + np.exp(-d[:, 0])) - dstar)[mask].max()
    assert err < 0.05


def test_dcgan_loop_snapshots_and_divergence(tmp_path):
    torch.manual_seed(0)
    imgs = data.mnist5k().train.x[:256]
    g, d = adv.DCGenerator(8, 4), adv.DCDiscriminator(4)
    res = adv.train_images(
        g, d, gan_d_loss, gan_g_loss, imgs, steps=6, batch=32, z_dim=8,
        snapshot_steps=[0, 6], n_fixed=5, progress=False,
    )  # fmt: skip
    assert sorted(res.snapshots) == [0, 6] and res.snapshots[6].shape == (5, 1, 28, 28)
    assert res.snapshots[6].min() >= 0 and res.snapshots[6].max() <= 1
    three = adv.DCGenerator(8, 4, out_channels=3)(torch.randn(2, 8))
    assert three.shape == (2, 3, 28, 28)
    assert adv.DCDiscriminator(4, in_channels=3, outputs=2)(three).shape == (2, 2)

    def bad(D, real, fake):
        return gan_d_loss(D, real, fake) + float("inf")

    with pytest.raises(TrainingDiverged, match="d_loss = inf"):
        adv.train_images(g, d, bad, gan_g_loss, imgs, steps=3, batch=32, z_dim=8, progress=False)
    with pytest.raises(ValueError, match="28, 28"):
        adv.train_images(g, d, bad, gan_g_loss, torch.zeros(4, 1, 8, 8), steps=1)


def test_evaluate_images_real_digits_sit_near_the_floor():
    test = data.mnist5k().test.x
    ev = adv.evaluate_images(data.mnist5k().train.x[1000:2000], n_fd=1000)
    assert ev["fd_floor"] < 15 and ev["fd"] < 15
    assert ev["class_kl"] < 0.02 and ev["class_hist"].shape == (10,)
    ones = test[data.mnist5k().test.y == 1][:100]
    ev1 = adv.evaluate_images(ones, n_fd=100)
    assert ev1["class_kl"] > 2.0 and ev1["fd"] > ev1["fd_floor"]
    with pytest.raises(ValueError, match="at least n_fd"):
        adv.evaluate_images(ones, n_fd=1000)
    with pytest.raises(ValueError, match="want samples"):
        adv.evaluate_images(torch.zeros(5, 3, 28, 28))


def test_generate_and_nearest_neighbours():
    g = adv.DCGenerator(8, 4)
    a = adv.generate_images(g, 7, 8, seed=1, batch=3)
    b = adv.generate_images(g, 7, 8, seed=1)
    assert a.shape == (7, 1, 28, 28) and torch.allclose(a, b, atol=1e-6)
    train = data.mnist5k().train.x[:50]
    nn_img, dist = adv.nearest_training_images(train[[3, 9]], train)
    assert torch.equal(nn_img, train[[3, 9]]) and torch.all(dist == 0)
    moved = train[[3]] + 0.5
    _, d = adv.nearest_training_images(moved, train[[3]])
    assert torch.allclose(d, torch.tensor([0.5 * 28]), rtol=1e-5)


def test_d2gan_reference_losses():
    a = torch.tensor([-150.0, -30.0, 0.0, 5.0])
    assert torch.isfinite(adv.log_softplus(a)).all()
    assert torch.allclose(adv.log_softplus(a[1:]), torch.log(F.softplus(a[1:])), atol=1e-5)
    scores_r, scores_f = torch.randn(2, 6, 2), torch.randn(2, 4, 2)
    lookup = {id(scores_r): scores_r, id(scores_f): scores_f}

    def D(x):
        return lookup[id(x)]

    d1r, d2r = F.softplus(scores_r).unbind(-1)
    d1f, d2f = F.softplus(scores_f).unbind(-1)
    want = (-0.5 * d1r.log() + d2r).mean(1) + (d1f - 2.0 * d2f.log()).mean(1)
    got = adv.d2gan_d_loss(D, scores_r, scores_f, alpha=0.5, beta=2.0)
    assert torch.allclose(got, want, atol=1e-5)
    assert torch.allclose(adv.d2gan_g_loss(D, scores_f, 2.0), (-d1f + 2.0 * d2f.log()).mean(1))
    two = adv.TwoDiscriminators(adv.mlp([2, 3, 1], 2), adv.mlp([2, 3, 1], 2))
    assert two(torch.randn(2, 5, 2)).shape == (2, 5, 2)


def test_noise_passes_veegans_count_but_not_the_course_count():
    """The reference rows: uniform noise over the plot box fools VEEGAN's count, not ours."""
    for mix in (data.ring(), data.grid(), data.ring(10, 3.0, 0.1), data.grid(4, 2.5, 0.05)):
        refs = adv.reference_rows(mix, [0, 1, 2])
        noise, real = refs["noise"].metrics, refs["real"].metrics
        assert noise["modes"].mean() >= 0.5 * mix.n_modes  # VEEGAN's count: noise looks fine
        assert noise["covered"].max() <= 1 and noise["hq"].mean() < 0.15
        assert (real["covered"] == mix.n_modes).all() and real["hq"].mean() > 0.98


def test_init_members_refuses_layers_it_cannot_seed_per_member():
    with pytest.raises(TypeError, match="Linear at '1' has parameters"):
        adv.init_members([torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Linear(2, 2))], [0])
    with pytest.raises(ValueError, match="not a multiple of 2 seeds"):
        adv.init_members([adv.mlp([2, 2], n_models=3)], [0, 1])
    g = adv.Generators2D(2, 3, z_dim=4, hidden=8)  # 2 seeds x 3 first layers: per-member
    adv.init_members([g], [0, 1])


def test_mgan_generators_make_every_sample():
    """K = 3 generators and 500 samples: 500 come back, in blocks of 166 or 167 per generator."""
    ids = adv.generator_ids(500, 3)
    assert len(ids) == 500 and sorted(torch.bincount(ids).tolist()) == [166, 167, 167]
    assert torch.all(ids[1:] >= ids[:-1])
    g = adv.Generators2D(2, 3, z_dim=4, hidden=8)
    assert g(torch.randn(2, 500, 4)).shape == (2, 500, 2)
    # sample i depends only on its own generator's first layer
    z = torch.randn(2, 7, 4)
    out = g(z)
    with torch.no_grad():
        g.first.weight[3 + 0] += 1.0  # seed 1, generator 0 (samples 0-2 of 7)
    out2 = g(z)
    ids7 = adv.generator_ids(7, 3)
    changed = (out2 - out).abs().sum(-1) > 0
    assert changed[1].tolist() == (ids7 == 0).tolist() and not changed[0].any()


def test_losses_average_real_and_fake_separately():
    """Batches of different sizes: each loss is the mean over real plus the mean over fake."""
    real, fake = torch.randn(2, 5, 3), torch.randn(2, 9, 3)

    def D(x):
        return x

    one = adv.gan_d_loss(lambda x: x[..., :1], real, fake)
    want = F.softplus(-real[..., :1]).mean((1, 2)) + F.softplus(fake[..., :1]).mean((1, 2))
    assert torch.allclose(one, want)
    got = adv.mgan_d_loss(D, real, fake, k=2)
    xent = adv.classifier_xent(fake[..., 1:], adv.generator_ids(9, 2))
    assert torch.allclose(got, want + xent)
    g = adv.mgan_g_loss(D, fake, k=2, beta=0.5)
    assert torch.allclose(g, F.softplus(-fake[..., :1]).mean((1, 2)) + 0.5 * xent)


def test_setting_and_compare_2d():
    s = adv.Setting2D(n_seeds=2, steps=20, batch=16, hidden=8, n_eval=300)
    assert s.seeds == [0, 1]
    with pytest.raises(ValueError, match="steps: must be >= 1"):
        adv.Setting2D(steps=0)
    with pytest.raises(ValueError, match="lr_d: must be <= 1.0"):
        adv.Setting2D(lr_d=2.0)
    models = [adv.gan(), adv.gan(d_steps=2), adv.d2gan(), adv.mgan(k=3)]
    assert [m.key for m in models] == ["gan", "gan2d", "d2gan", "mgan"]
    mixes = [data.ring(), data.grid(3, 2.0, 0.05, key="grid")]
    comp = adv.compare_2d(models, mixes, s, progress=False)
    table = comp.table()
    assert len(table) == 2 * (4 + 2) and ("noise", "grid") in table.index
    assert comp.means("real", "grid")["covered"] == 9
    comp.record()
    from utils import RECORDS

    for key in ("n_seeds", "gan_ring_covered_se", "mgan_grid_hq", "noise_ring_covered"):
        assert key in RECORDS
    assert comp["MGAN", "ring"].samples.shape == (2, 300, 2)
    assert len(comp.plot_snapshots("ring").axes) == 4 * 4
    assert len(comp.plot_covered_vs_hq().axes) == 2
    assert len(comp.plot_seeds("MGAN", "ring").axes) == 2
    plt.close("all")
    with pytest.raises(ValueError, match="names must differ"):
        adv.compare_2d([adv.gan(), adv.gan()], mixes, s)


def test_setting_parameters_match_the_dataclass():
    from utils.params import check_params

    defaults = adv.setting_defaults()
    assert defaults["N_SEEDS"] >= 10 and defaults["RING_MODES"] == 8 and defaults["GRID_SIDE"] == 3
    ns = dict(defaults)
    check_params(ns, **adv.SETTING_SPECS)
    setting, (ring, grid) = adv.from_params(ns)
    assert setting == adv.Setting2D()
    assert ring.n_modes == 8 and grid.n_modes == 9 and abs(ring.std**2 - 0.02) < 1e-12


def test_contrast_says_which_side_of_three_standard_errors():
    a, b = {"covered": 8.0, "covered_se": 0.0}, {"covered": 2.7, "covered_se": 0.3}
    sentence = adv.contrast("A", a, "B", b, "covered")
    assert "17.7 combined standard errors" in sentence and "a clear difference" in sentence
    c = {"covered": 3.2, "covered_se": 0.3}
    assert "within the noise of the seeds" in adv.contrast("C", c, "B", b, "covered")
    assert "∞" not in adv.contrast("A", a, "A2", {"covered": 7.0, "covered_se": 0.0}, "covered")
