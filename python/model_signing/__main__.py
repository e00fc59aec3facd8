"""`python -m model_signing ...`: the model_signing command-line tool."""

from model_signing._cli import main

if __name__ == "__main__":
    main()
