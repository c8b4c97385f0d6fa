"""The reference parts of the docs, generated from the code so that they cannot drift from it.

The Markdown files hold `cog` blocks that call these functions. After changing a setting, a command, the JSON
contract or the report's method page, regenerate them:

    cog -r -I . README.md docs/*.md

`tests/test_docs.py` fails while a generated part is out of date.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ("README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md")))
WIDTH = 100  # the width `--help` is wrapped to, whatever the terminal


def settings_table() -> str:
    """Every setting of `config.Settings`: name, default and meaning."""
    from config import SETTINGS

    rows = ["| Setting | Default | Meaning |", "|---|---|---|"]
    rows += [f"| `{entry.name}` | {entry.default} | {entry.help} |" for entry in SETTINGS]
    return "\n".join(rows) + "\n"


def commands() -> list[tuple[str, object]]:
    """Every command of `cli.py` by its full name (`db upgrade`), groups before their commands."""
    import click

    from cli import main

    found = []

    def walk(group: click.Group, prefix: str) -> None:
        for name in sorted(group.commands):
            command = group.commands[name]
            found.append((prefix + name, command))
            if isinstance(command, click.Group):
                walk(command, f"{prefix}{name} ")

    walk(main, "")
    return found


def command_help(name: str) -> str:
    """`python cli.py NAME --help` as printed, wrapped to a fixed width."""
    import click

    from cli import main

    # As `python cli.py NAME --help` prints it: with the group's settings (its help options), at a fixed width.
    context = click.Context(main, info_name="cli.py", terminal_width=WIDTH, max_content_width=WIDTH,
                            **main.context_settings)
    for part in name.split():
        command = context.command.commands[part]
        context = click.Context(command, info_name=part, parent=context, terminal_width=WIDTH,
                                max_content_width=WIDTH)
    return context.get_help().replace("Usage: cli.py", "Usage: python cli.py")


def cli_reference() -> str:
    """A section per command with its `--help`."""
    parts = []
    for name, _command in commands():
        parts.append(f"### `{name}`\n\n```text\n{command_help(name)}\n```\n")
    return "\n".join(parts)


def json_contract() -> str:
    """The keys of `score --format json`, each with its meaning."""
    from scoring.contract import CONTRACT

    rows = ["| Key | Meaning |", "|---|---|"]
    rows += [f"| `{key}` | {meaning} |" for key, meaning in CONTRACT.items()]
    return "\n".join(rows) + "\n"


def methodology() -> str:
    """The report's method page ("How the scoring works") as Markdown, rendered from the same template with the
    shipped full assessment, so the docs and the report say the same."""
    from questionnaires import find_questionnaire
    from reports.html import method_page

    return MethodMarkdown.convert(method_page(find_questionnaire("ai-maturity")))


class MethodMarkdown(HTMLParser):
    """The few elements the method page uses, as Markdown: headings, paragraphs, term lists, lists, emphasis."""

    BLOCKS = {"h1": "## ", "h2": "### ", "h3": "#### "}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.line = ""

    @classmethod
    def convert(cls, page: str) -> str:
        parser = cls()
        parser.feed(page)
        parser.flush()
        text = "\n".join(parser.out)
        return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"

    def flush(self) -> None:
        text = " ".join(self.line.split())
        if text:
            self.out += [text, ""]
        self.line = ""

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.flush()
            self.line = self.BLOCKS[tag]
        elif tag in ("p", "dd", "div", "section", "table", "tr"):
            self.flush()
        elif tag == "dt":
            self.flush()
            self.line = "**"
        elif tag == "li":
            self.flush()
            self.line = "- "
        elif tag in ("strong", "b"):
            self.line += "**"
        elif tag in ("em", "i"):
            self.line += "*"
        elif tag in ("td", "th"):
            self.line += " "

    def handle_endtag(self, tag):
        if tag == "dt":
            self.line = self.line.rstrip() + "**"
            self.flush()
        elif tag in ("strong", "b"):
            self.line += "**"
        elif tag in ("em", "i"):
            self.line += "*"
        elif tag in (*self.BLOCKS, "p", "dd", "li", "tr"):
            self.flush()

    def handle_data(self, data):
        self.line += html.unescape(data)
