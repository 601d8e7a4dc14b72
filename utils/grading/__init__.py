"""The grader's parts, one job per module; :mod:`utils.grade` is the command line and the API.

``model`` (what is graded, as data), ``checks`` (reading instructor notebooks, preparing a
submission), ``submissions`` (finding the files), ``sandbox`` (the fence, the environment, killing
a process tree), ``runner`` and ``kernel`` (the processes that run one notebook), ``task`` (grading
one notebook), ``classrun`` (a class through Dask, resumable), ``outputs`` (grades.csv, feedback,
hand grades). Nothing is imported here, so the kernel's entry point stays light.
"""
