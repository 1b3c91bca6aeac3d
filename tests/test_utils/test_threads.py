import os
import subprocess
import sys

import pytest

from mmlldif.utils.threads import (DEFAULT_THREAD_POLICY, OPENMP_KEYS,
                                   THREAD_POLICIES, thread_policy_env)

SCRIPT = ('import os, torch\n'
          'from mmlldif.utils.threads import apply_thread_policy\n'
          'print("start", flush=True)\n'
          'apply_thread_policy()\n'
          'print("GOMP_SPINCOUNT", os.environ.get("GOMP_SPINCOUNT"))\n'
          'print("OMP_WAIT_POLICY", os.environ.get("OMP_WAIT_POLICY"))\n')


def run(**env):
    clean = {k: v for k, v in os.environ.items() if k not in OPENMP_KEYS}
    clean.pop('MMLLDIF_THREAD_POLICY', None)
    clean.update(env)
    return subprocess.run([sys.executable, '-c', SCRIPT],
                          env=clean,
                          capture_output=True,
                          text=True,
                          timeout=300)


def test_a_command_restarts_once_with_the_default_policy():
    out = run()
    assert out.returncode == 0, out.stderr
    # torch was imported before the policy: the command ran again, once
    assert out.stdout.count('start') == 2
    expected = THREAD_POLICIES[DEFAULT_THREAD_POLICY]['GOMP_SPINCOUNT']
    assert f'GOMP_SPINCOUNT {expected}' in out.stdout
    assert f'mmlldif thread policy: {DEFAULT_THREAD_POLICY}' in out.stderr


def test_the_environment_wins_and_a_named_policy_applies():
    out = run(GOMP_SPINCOUNT='5')
    assert out.stdout.count('start') == 1
    assert 'GOMP_SPINCOUNT 5' in out.stdout
    out = run(MMLLDIF_THREAD_POLICY='passive')
    assert 'OMP_WAIT_POLICY PASSIVE' in out.stdout
    assert 'GOMP_SPINCOUNT None' in out.stdout


def test_an_unknown_policy_is_named():
    with pytest.raises(ValueError, match="'fast' is no thread policy"):
        thread_policy_env('fast')
    out = run(MMLLDIF_THREAD_POLICY='fast')
    assert out.returncode != 0 and "'fast' is no thread policy" in out.stderr
