"""Library warnings that say nothing to a Track Record user, silenced in one place.

The CLI calls `silence_library_warnings()` before any command runs, so a user sees only the
project's own output. A notebook that fits or scores through the package can call it too.
"""

from __future__ import annotations

import warnings


def silence_library_warnings() -> None:
    # ArviZ 0.2x announces its 1.0 refactor with a multi-line FutureWarning on import; PyMC 5
    # needs ArviZ < 1.0 (see requirements.in), so the announcement has no action for a user.
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"arviz(\.|$)")
    # PyTensor's C backend warns that pip-installed NumPy has no BLAS it can link; these models
    # do no matrix algebra and sample through nutpie's Numba backend, so the warning says nothing.
    warnings.filterwarnings("ignore", message=".*BLAS.*", category=UserWarning)
