"""The CPU thread policy of mmlldif's commands.

PyTorch's CPU wheels run their parallel loops on GNU OpenMP, whose idle
threads spin (busy-wait) for a while before they sleep. Alone on a machine
that is fastest; with a second CPU-heavy process on the same cores the
spinning threads take turns with the other process's working ones and both
run many times slower (measured on 2 cores: 4.8 to 9x). The policy is a
set of OpenMP environment variables, read once when torch loads OpenMP, so a
command applies it before it imports torch or, where torch is already
imported, by starting itself again (:func:`apply_thread_policy`).

``tools/analysis_tools/benchmark_threads.py`` measures the policies alone
and two side by side; docs/getting_started.md has its table and the
choice.
"""
import os
import sys
from typing import Dict

#: policy name -> OpenMP variables it sets (``{}``: OpenMP's defaults)
THREAD_POLICIES: Dict[str, Dict[str, str]] = {
    'spin': {},
    'passive': {'OMP_WAIT_POLICY': 'PASSIVE'},
    'spin-0': {'GOMP_SPINCOUNT': '0'},
    'spin-1k': {'GOMP_SPINCOUNT': '1000'},
    'spin-10k': {'GOMP_SPINCOUNT': '10000'},
    'one-thread': {'OMP_NUM_THREADS': '1'},
}
#: what mmlldif's commands use unless ``MMLLDIF_THREAD_POLICY`` says otherwise
DEFAULT_THREAD_POLICY = 'spin-1k'
ENV_KEY = 'MMLLDIF_THREAD_POLICY'
#: OpenMP variables a user may set, which the policy then leaves alone
OPENMP_KEYS = ('OMP_WAIT_POLICY', 'GOMP_SPINCOUNT', 'OMP_NUM_THREADS')


def thread_policy_env(name: str) -> Dict[str, str]:
    """The OpenMP variables of the policy ``name``.

    Raises:
        ValueError: ``name`` is no policy of :data:`THREAD_POLICIES`.
    """
    if name not in THREAD_POLICIES:
        raise ValueError(f'{ENV_KEY}={name!r} is no thread policy; choose '
                         f'one of {", ".join(THREAD_POLICIES)}.')
    return THREAD_POLICIES[name]


def apply_thread_policy(verbose: bool = True) -> str:
    """Give this process the thread policy of ``MMLLDIF_THREAD_POLICY``
    (default :data:`DEFAULT_THREAD_POLICY`), and say which.

    OpenMP variables already in the environment win over the policy's. If
    the policy adds one after torch has loaded OpenMP, the command starts
    again with it (``os.execv`` on the same command line), once. Call it
    from a command's ``__main__`` only, never from library code.

    Args:
        verbose (bool): Print the policy in force. Defaults to True.

    Returns:
        str: A description of the policy in force, e.g.
        ``'spin-1k (GOMP_SPINCOUNT=1000)'``.
    """
    name = os.environ.get(ENV_KEY, DEFAULT_THREAD_POLICY)
    missing = {
        k: v
        for k, v in thread_policy_env(name).items() if k not in os.environ
    }
    if missing:
        os.environ.update(missing)
        if 'torch' in sys.modules:
            sys.stdout.flush()
            sys.stderr.flush()
            os.execv(sys.executable, sys.orig_argv)
    settings = ', '.join(f'{k}={os.environ[k]}' for k in OPENMP_KEYS
                         if k in os.environ) or 'OpenMP defaults'
    described = f'{name} ({settings})'
    if verbose:
        print(f'mmlldif thread policy: {described}', file=sys.stderr)
    return described
