"""Sign and verify machine learning models, backed by the model_signing C++ engine.

A drop-in for the Python `model_signing` package's API (releases 1.1.x and
its main branch): the same modules, classes, methods, keyword arguments and
defaults, and the same exception types to catch.

```python
import model_signing

model_signing.signing.Config().use_elliptic_key_signer(
    private_key="key.priv"
).sign("finbert", "finbert.sig")

model_signing.verifying.Config().use_elliptic_key_verifier(
    public_key="key.pub"
).verify("finbert", "finbert.sig")
```

`python -m model_signing` (and the `model_signing` command) runs the C++
command-line tool shipped in this package.
"""

from model_signing import errors
from model_signing import hashing
from model_signing import manifest
from model_signing import signing
from model_signing import verifying

# This package's version (the C++ project's); it mirrors the API of the
# Python tool's release UPSTREAM_API_VERSION.
__version__ = "0.1.0"
UPSTREAM_API_VERSION = "1.1.1"

__all__ = ["hashing", "signing", "verifying", "manifest", "errors"]
