"""The exit status of every newsetl command but success (0), in one place (README: "Exit
status")."""

EXIT_FAILED = 1  # some work failed (a batch, a stale data dictionary, no server running)
EXIT_USAGE = 2  # wrong arguments or paths, said before anything starts
EXIT_LOCKED = 3  # another run holds the output
