"""`python -m bench.load [options]`: see bench/load/__init__.py."""

import os
import sys

from .cli import main

code = main()
sys.stdout.flush()
os._exit(code)   # client threads (heartbeats, streams) must not keep the process alive
