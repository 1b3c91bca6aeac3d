"""Install mmlldif: ``pip install -e .`` (development) or ``mim install .``."""
import os
import os.path as osp
import shutil
import sys

from setuptools import find_packages, setup

REPO = osp.dirname(osp.abspath(__file__))


def readme():
    with open(osp.join(REPO, 'README.md'), encoding='utf-8') as f:
        return f.read()


def get_version():
    scope = {}
    with open(osp.join(REPO, 'mmlldif', 'version.py'), encoding='utf-8') as f:
        exec(compile(f.read(), 'version.py', 'exec'), scope)
    return scope['__version__']


def parse_requirements(name):
    """Read ``requirements/<name>.txt`` without comments or nested files."""
    reqs = []
    with open(osp.join(REPO, 'requirements', f'{name}.txt')) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line and not line.startswith('-'):
                reqs.append(line)
    return reqs


def add_mim_extension():
    """Expose ``tools/``, ``configs/``, ``checkpoints/`` (the release
    weights) and ``model-index.yml`` to OpenMMLab's mim and the model zoo.

    mim looks for them in ``mmlldif/.mim``. Wheels (``pip install .``,
    ``mim install .``) get copies; development installs get symlinks. Modern
    pip builds editable installs through ``editable_wheel`` and never runs
    ``develop``, so both commands are treated alike.
    """
    if 'develop' in sys.argv or 'editable_wheel' in sys.argv:
        mode = 'copy' if os.name == 'nt' else 'symlink'
    elif 'sdist' in sys.argv or 'bdist_wheel' in sys.argv:
        mode = 'copy'
    else:
        return

    mim_path = osp.join(REPO, 'mmlldif', '.mim')
    os.makedirs(mim_path, exist_ok=True)
    for name in ['tools', 'configs', 'checkpoints', 'model-index.yml']:
        src = osp.join(REPO, name)
        dst = osp.join(mim_path, name)
        if not osp.exists(src):
            continue
        if osp.islink(dst) or osp.isfile(dst):
            os.remove(dst)
        elif osp.isdir(dst):
            shutil.rmtree(dst)
        if mode == 'symlink':
            os.symlink(osp.relpath(src, mim_path), dst)
        elif osp.isdir(src):
            shutil.copytree(src, dst)
        else:
            shutil.copyfile(src, dst)


if __name__ == '__main__':
    add_mim_extension()
    setup(
        name='mmlldif',
        version=get_version(),
        description='LLDif: diffusion-based facial expression recognition '
        'in extremely low light, as an OpenMMLab plugin',
        long_description=readme(),
        long_description_content_type='text/markdown',
        keywords='facial expression recognition, low light, diffusion, '
        'OpenMMLab',
        packages=find_packages(exclude=('configs', 'tools', 'tests', 'docs')),
        include_package_data=True,
        python_requires='>=3.9',
        license='Apache License 2.0',
        classifiers=[
            'Programming Language :: Python :: 3',
            'Topic :: Scientific/Engineering :: Artificial Intelligence',
        ],
        install_requires=parse_requirements('runtime'),
        extras_require={
            'tests': parse_requirements('tests'),
            'deploy': parse_requirements('deploy'),
            'demo': parse_requirements('demo'),
            'mim': parse_requirements('mminstall'),
        },
        zip_safe=False)
