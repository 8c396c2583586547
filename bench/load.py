"""`bench/load.py [options]`: the load bench run as a script (it lives in the bench/load/
package, which `python -m bench.load` runs and `import bench.load` finds first)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # a checkout not installed

from bench.load.cli import main  # noqa: E402

if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)   # client threads (heartbeats, streams) must not keep the process alive
