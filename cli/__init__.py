"""The `reporting` command's subcommands, one module each.

Each module has `register(subparsers)`, which adds its subcommands and sets `handler` on
them: a function taking the parsed arguments and giving the exit status. A handler only
parses, calls the library (or a flow) and prints.
"""
