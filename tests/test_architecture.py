"""The layers hold: each part of the project imports only the parts below it (docs/architecture.md), whether the
import stands at the top of a module or inside a function."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

OUTSIDE = {"tests", "bench", "scripts"}  # they use the product; nothing of the product uses them
# What each part may import, bottom to top. A part always may import itself.
BELOW = {
    "errors": set(),
    "i18n": set(),
    "config": {"errors"},
    "questionnaires": {"errors", "i18n", "config"},
    "scoring": {"errors", "i18n", "config", "questionnaires"},
    "storage": {"errors", "i18n", "config", "questionnaires", "scoring"},
    "services": {"errors", "i18n", "config", "questionnaires", "scoring", "storage"},
    "reports": {"errors", "i18n", "config", "questionnaires", "scoring", "storage", "services"},
    "ui": {"errors", "i18n", "config", "questionnaires", "scoring", "storage", "services", "reports"},
    "app_pages": {"errors", "i18n", "config", "questionnaires", "scoring", "storage", "services", "reports", "ui"},
    "app": {"errors", "i18n", "config", "questionnaires", "scoring", "storage", "services", "reports", "ui",
            "app_pages"},
    "cli": {"errors", "i18n", "config", "questionnaires", "scoring", "storage", "services", "reports"},
}


def part_of(path: Path) -> str:
    relative = path.relative_to(ROOT)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def modules() -> list[Path]:
    """Every module of the product (tests, benchmarks and scripts stand outside the layers)."""
    found = [ROOT / f"{name}.py" for name in BELOW if (ROOT / f"{name}.py").exists()]
    for name in BELOW:
        if (ROOT / name).is_dir():
            found += sorted((ROOT / name).rglob("*.py"))
    return found


@functools.lru_cache(maxsize=None)
def parsed(path: Path) -> ast.Module:
    """The module's syntax tree, parsed once for every test that reads it (the tests only read it)."""
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def type_checking_lines(tree: ast.Module) -> set[int]:
    """The lines of imports made only for type checkers (`if TYPE_CHECKING:`), which run nothing."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            lines |= {inner.lineno for inner in ast.walk(node) if isinstance(inner, (ast.Import, ast.ImportFrom))}
    return lines


def module_imports(path: Path, known: set[str]) -> set[str]:
    """The product's modules this module imports at run time, wherever the import stands."""
    tree = parsed(path)
    skipped = type_checking_lines(tree)
    found = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name in known}


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported part) for every import of a part of the project in the module, wherever it stands."""
    tree = parsed(path)
    return [(node.lineno, name.split(".")[0]) for node in ast.walk(tree)
            for name in imported_names(node) if name.split(".")[0] in BELOW]


def imported_names(node: ast.AST) -> list[str]:
    """The modules an import statement names (none for any other node)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module]
    return []


def test_the_layers_form_no_cycle():
    for part, below in BELOW.items():
        for other in below:
            assert part not in BELOW[other], f"{part} and {other} may import each other"


def test_every_part_of_the_product_has_a_place_in_the_layers():
    parts = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    parts |= {p.stem for p in ROOT.glob("*.py")}
    unplaced = parts - set(BELOW) - OUTSIDE
    assert unplaced == set(), f"place these in BELOW and in docs/architecture.md: {sorted(unplaced)}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_module_imports_only_the_parts_below_its_own(path):
    part = part_of(path)
    wrong = [f"{path.relative_to(ROOT)}:{line} imports {other}" for line, other in imports(path)
             if other != part and other not in BELOW[part]]
    assert wrong == [], f"{part} may import only {sorted(BELOW[part])}: " + "; ".join(wrong)


@functools.cache
def import_graph() -> dict[str, set[str]]:
    """Which of the product's modules each module imports, at its top or inside a function."""
    paths = {module_name(path): path for path in modules()}
    graph = {name: module_imports(path, set(paths)) - {name} for name, path in paths.items()}
    packages = {name for name, path in paths.items() if path.name == "__init__.py"}
    for name in graph:  # a package's own modules may use what its __init__ gathers; that is no cycle
        graph[name] -= {package for package in packages if name.startswith(package + ".")}
    return graph


def test_no_module_imports_one_that_imports_it_back():
    cycles = [sorted(group) for group in strongly_connected(import_graph()) if len(group) > 1]
    assert cycles == []


# An import inside a function is kept only where it keeps start-up fast, and a comment on its line (or just above it)
# says so; one that would otherwise stand at the top is no way to dodge a module that imports this one back.
STARTUP = "start-up"


def function_imports(path: Path, known: set[str]) -> list[tuple[int, str, bool]]:
    """(line, product module, whether a comment says it is there for start-up time) for each import inside a
    function of the module (type checkers' imports left out)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    tree = parsed(path)
    skipped = type_checking_lines(tree)
    at_top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if id(node) in at_top or node.__dict__.get("lineno") in skipped:
            continue
        for name in imported_names(node):
            target = next((n for n in (f"{name}.{a.name}" for a in node.names) if n in known), name)
            if target in known:
                found.append((node.lineno, target, says_why(lines, node.lineno)))
    return found


def says_why(lines: list[str], line: int) -> bool:
    """Whether the import at `line` (1-based), or the comment lines right above it, say it is there for start-up."""
    if "#" in lines[line - 1] and STARTUP in lines[line - 1].split("#", 1)[1]:
        return True
    above = line - 2
    while above >= 0 and lines[above].strip().startswith("#"):
        if STARTUP in lines[above]:
            return True
        above -= 1
    return False


def reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    """Whether `start` imports `goal`, directly or through other modules."""
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name == goal:
            return True
        if name not in seen:
            seen.add(name)
            todo.extend(graph.get(name, ()))
    return False


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_an_import_inside_a_function_hides_no_cycle(path):
    graph = import_graph()
    name = module_name(path)
    hidden = [f"{path.relative_to(ROOT)}:{line} imports {target} inside a function, and {target} imports it back"
              for line, target, for_start_up in function_imports(path, set(graph))
              if not for_start_up and reaches(graph, target, name)]
    assert hidden == [], "move the shared code to a module both can import: " + "; ".join(hidden)


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components: each group of modules that reach each other by imports."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            groups.append(group)

    for node in graph:
        if node not in index:
            visit(node)
    return groups


# The screens know the storage layer's own error (StorageError), never the database library beneath it.


def screens() -> list[Path]:
    """The router, every screen and every helper they share."""
    return [ROOT / "app.py", *sorted((ROOT / "app_pages").rglob("*.py")), *sorted((ROOT / "ui").rglob("*.py"))]


@pytest.mark.parametrize("path", screens(), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_screen_never_imports_the_database_library(path):
    tree = parsed(path)
    found = [f"{path.relative_to(ROOT)}:{node.lineno} imports {name}" for node in ast.walk(tree)
             for name in imported_names(node) if name.split(".")[0] == "sqlalchemy"]
    assert found == [], "catch storage.errors.StorageError instead: " + "; ".join(found)


# app_pages/ holds the screens, and only them: each is a script the router registers, run by st.navigation, never
# imported; what screens share lives in ui/.


def registered_screens() -> set[str]:
    """The page scripts app.py's navigation lists."""
    tree = parsed(ROOT / "app.py")
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("app_pages/")}


def test_app_pages_holds_the_screens_the_router_registers_and_nothing_else():
    found = {str(path.relative_to(ROOT)) for path in (ROOT / "app_pages").glob("*.py") if path.name != "__init__.py"}
    assert found == registered_screens(), "a module that is no screen belongs in ui/"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_imports_a_screen(path):
    imported = [f"{path.relative_to(ROOT)}:{line} imports {name}" for line, name in named_imports(path)
                if name.startswith("app_pages")]
    assert imported == [], "a screen runs as a script; move what others need into ui/: " + "; ".join(imported)


def named_imports(path: Path) -> list[tuple[int, str]]:
    """(line, full module name) for every import statement of the module, the names a `from` import takes
    included."""
    tree = parsed(path)
    found = []
    for node in ast.walk(tree):
        for name in imported_names(node):
            found.append((node.lineno, name))
            if isinstance(node, ast.ImportFrom):
                found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]
    return found


# Session state goes through ui/session.py, where each key is named once with what it holds: no screen or helper
# reads or writes st.session_state by a key spelled out on the spot. Keys made per question or widget (from an id)
# are built where they are used.
SESSION_KEYS = ROOT / "ui" / "session.py"


def spelled_out_keys(path: Path) -> list[str]:
    """Where the module reaches st.session_state with a literal string key: indexing, get/pop/setdefault, `in`."""
    tree = parsed(path)
    found = []
    for node in ast.walk(tree):
        key = None
        if isinstance(node, ast.Subscript) and is_session_state(node.value):
            key = node.slice
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and is_session_state(node.func.value)
              and node.func.attr in ("get", "pop", "setdefault") and node.args):
            key = node.args[0]
        elif (isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops)
              and any(is_session_state(other) for other in node.comparators)):
            key = node.left
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {key.value!r}")
    return found


def is_session_state(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "session_state"


@pytest.mark.parametrize("path", [p for p in screens() if p != SESSION_KEYS], ids=lambda p: str(p.relative_to(ROOT)))
def test_session_state_is_reached_only_through_its_named_keys(path):
    assert spelled_out_keys(path) == [], "name the key in ui/session.py and use it from there"



# Writes happen in callbacks or form submits, never in the script body. The body under `if st.button(...)` runs on
# the run after the click, with what the page computed on its way down; a callback runs first, judges what is
# stored, and the page then draws what it came to. So no screen stores anything from under a button's `if`: it
# gives the button an `on_click=` callback (`ui.state.switch_soon` opens a page after one). Reading is fine there.
STORAGE_WRITERS = {"repository", "workshops", "access", "pilots", "retention", "drafts", "benchmark", "backup"}
READING = ("find", "load", "get", "list", "read", "count", "is_", "has_", "of_", "workshop_of", "participant_cookie",
           "normalise", "returning", "resume", "link_expired")  # what a storage or service function that only reads
# is called by; anything else of theirs is taken for a write


def writer_names(tree: ast.Module) -> set[str]:
    """The names under which the module reaches a storage module that writes, or the services."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "storage":
            names |= {alias.asname or alias.name for alias in node.names if alias.name in STORAGE_WRITERS}
        elif isinstance(node, ast.ImportFrom) and node.module and (
                node.module.split(".")[0] == "services"
                or node.module.removeprefix("storage.") in STORAGE_WRITERS):
            names |= {f"={alias.asname or alias.name}" for alias in node.names}  # a function imported by name
        elif isinstance(node, ast.Import):
            names |= {alias.asname or alias.name for alias in node.names
                      if alias.name.split(".")[0] == "services"
                      or alias.name.removeprefix("storage.") in STORAGE_WRITERS}
    return names


def writes(node: ast.AST, writers: set[str], local_writers: set[str]) -> list[str]:
    """The writes `node` makes or hands on to be made (`state.guarded(repo.save_x, ...)`, `on_click=finish`): storage
    or service functions that do not only read, and the module's own functions that write."""
    found = []
    for inner in ast.walk(node):
        if (isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Name) and inner.value.id in writers
                and inner.attr[0].islower() and not inner.attr.startswith(READING)):
            found.append(ast.unparse(inner))
        elif isinstance(inner, ast.Name) and (
                inner.id in local_writers or f"={inner.id}" in writers and not inner.id.startswith(READING)):
            found.append(inner.id)
    return found


def functions_that_write(tree: ast.Module, writers: set[str]) -> set[str]:
    """The module's own functions that write, directly or through another of them."""
    defined = {n.name: n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    found: set[str] = set()
    while True:
        more = {name for name, node in defined.items() if name not in found and writes(node, writers, found)}
        if not more:
            return found
        found |= more


def is_button(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("button", "form_submit_button"))


def writes_under_a_button(path: Path) -> list[str]:
    """Where the module writes in the body of an `if` on a button (or a form's submit button)."""
    tree = parsed(path)
    writers = writer_names(tree)
    local_writers = functions_that_write(tree, writers)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and any(is_button(inner) for inner in ast.walk(node.test)):
            for statement in node.body:
                found += [f"{path.relative_to(ROOT)}:{statement.lineno} {name}"
                          for name in writes(statement, writers, local_writers)]
    return found


@pytest.mark.parametrize("path", [p for p in screens() if p.parent != ROOT], ids=lambda p: str(p.relative_to(ROOT)))
def test_a_screen_writes_in_a_buttons_callback_never_under_its_if(path):
    assert writes_under_a_button(path) == [], "give the button an on_click= callback that writes"
