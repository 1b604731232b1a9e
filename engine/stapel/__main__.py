"""`python -m engine.stapel FALL… [Optionen]`: the batch run on its own (as `regelwerk decide`)."""
import sys

from .befehl import main

sys.exit(main())
