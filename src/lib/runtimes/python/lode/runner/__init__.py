"""What lode_runner.py does, in parts: load the handler, bind its arguments, log what it returns."""
