"""Sub-commands of the ``planner`` command line, one module each."""
