"""policies.services and policies.selectors export their sub-domain modules' functions and
classes by name (no star imports): a new public function must be added to the package's
__init__.py, and nothing else leaks through it."""

import ast
import importlib
import pathlib

import pytest

# Constants read through the package (everything else is a function or a class).
CONSTANTS = {
    "services": {"AGREEMENT_STATEMENT"},
    "selectors": {"FEWER_THAN", "NOT_SHOWN", "VERSION_TEXTS"},
}


@pytest.mark.parametrize("package", ["services", "selectors"])
def test_the_package_exports_exactly_its_modules_public_functions_and_classes(package):
    folder = pathlib.Path(__file__).resolve().parents[2] / "policies" / package
    wanted = set(CONSTANTS[package])
    for path in folder.glob("*.py"):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text())
        wanted |= {
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_")
        }
    module = importlib.import_module(f"policies.{package}")
    assert set(module.__all__) == wanted
    assert all(hasattr(module, name) for name in module.__all__)
