"""What the training log adds to the core, registered from TrainingConfig.ready()."""


def register() -> None:
    pass
