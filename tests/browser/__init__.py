# A package, so that pytest imports this directory's conftest.py as `browser.conftest`: as a plain
# directory its conftest.py would replace `conftest` in sys.modules and break the
# `from conftest import ...` lines of the other test directories.
