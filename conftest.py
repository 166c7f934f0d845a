"""Repository root conftest: puts this checkout first on sys.path.

The package ``trace`` shares its name with a standard-library module; pytest's rootdir
insertion makes ours win when tests run from a plain checkout.
"""
