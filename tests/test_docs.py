"""The docs' claims point at tests that exist."""
import glob
import os.path as osp
import re

from fixtures import REPO


def test_every_robustness_case_names_a_test_that_exists():
    defined = {}
    for path in glob.glob(osp.join(REPO, 'tests', '**', 'test_*.py'),
                          recursive=True):
        with open(path) as f:
            defined[osp.basename(path)[:-3]] = set(
                re.findall(r'^def (test_\w+)', f.read(), re.M))
    with open(osp.join(REPO, 'docs', 'robustness.md')) as f:
        rows = [line for line in f if re.match(r'\| \d+[a-z]? \|', line)]
    assert len(rows) >= 80
    previous = None
    for row in rows:
        case, cell = row.split('|')[1].strip(), row.rstrip(' |\n').split(
            '|')[-1].strip()
        cell = previous if cell == 'same' else cell
        previous = cell
        refs = re.findall(r'(test_\w+)::(test_\w+)', cell)
        assert refs, f'case {case}: no test named ({cell!r})'
        for module, test in refs:
            assert test in defined.get(module, ()), (
                f'case {case}: {module}::{test} does not exist')
