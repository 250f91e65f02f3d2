"""Run one Python handler for lode.

lode starts `python3 -u lode_runner.py --bytecode-cache DIR` with LODE_RUN_SPEC (the HandlerSpec JSON file) and
LODE_EVENT_FD (a pipe back to lode); lode.runner.main does the work. It is kept out of this file because Python
compiles the script it runs at every start (~2.5 ms for the runner), and a module's compiled code is cached.
"""
import gc
import sys

# lode starts Python with PYTHONDONTWRITEBYTECODE, so nothing is written next to a handler. lode's own modules keep
# their compiled code in lode's user cache (`--bytecode-cache DIR`): beside them is often not writable (a lode installed
# by root), and compiling them cost ~30 ms of every run. While the runner loads (the few standard modules first imported
# here are compiled there once too), and for lode's modules loaded later (lode.runner.bytecode): the handler's imports
# are untouched.
_handler_bytecode = (sys.pycache_prefix, sys.dont_write_bytecode)
if len(sys.argv) > 2 and sys.argv[1] == '--bytecode-cache':
    sys.pycache_prefix = sys.argv[2]
    sys.dont_write_bytecode = False
    from lode.runner.bytecode import keep_compiled_code_in  # noqa: E402

    keep_compiled_code_in(sys.argv[2])
from lode.runner.main import main  # noqa: E402
sys.pycache_prefix, sys.dont_write_bytecode = _handler_bytecode
# What is loaded so far lives as long as the process: out of the collector's sight, the interpreter's exit after the
# handler (its last collection) costs a few ms instead of ~10. Nothing the handler makes is frozen.
gc.freeze()

if __name__ == '__main__':
    sys.exit(main())
