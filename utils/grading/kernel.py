"""The graded kernel's entry point: limits and fence first, then ipykernel.

``python -m utils.grading.kernel CONFIG -f CONNECTION_FILE`` (what the runner's kernel spec names).
It does not import nbformat (the kernel never reads a notebook; nbformat costs seconds).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .sandbox import _PR_SET_PDEATHSIG, _landlock, _prctl


class _TorchThreads:
    """A meta-path finder that puts torch on one intra-op and one inter-op thread on import."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> object:
        if name != "torch":
            return None
        import importlib.util

        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module: object) -> None:
            run(module)
            module.set_num_threads(1)
            module.set_num_interop_threads(1)

        spec.loader.exec_module = exec_module
        return spec


def _kernel_main(argv: list[str]) -> None:
    """The graded kernel: limits and fence first, then ipykernel (``argv``: config, -f FILE)."""
    import resource

    config = json.loads(argv[0])
    _prctl(_PR_SET_PDEATHSIG, 9)  # SIGKILL when the runner goes
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if config["memory"]:
        resource.setrlimit(resource.RLIMIT_AS, (config["memory"], config["memory"]))
    fence = config["fence"]
    if fence:
        io = str(Path(config["work"]).parent / "io")  # the connection file
        _landlock(fence["read"], fence["list"], [*fence["write"], config["work"], io])
    sys.meta_path.insert(0, _TorchThreads())
    sys.path[0] = ""
    sys.argv = ["ipykernel_launcher", *argv[1:]]
    from ipykernel.kernelapp import launch_new_instance

    launch_new_instance()


if __name__ == "__main__":  # pragma: no cover - runs in the graded kernel
    _kernel_main(sys.argv[1:])
