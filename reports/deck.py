"""The readout deck (PPTX): 8-12 slides a consultant closes a workshop or an assessment with.

Every word on a slide is editable text in a text box or a table; only the charts are
pictures, rendered to PNG from the same Altair specs as the PDF and the app. The deck
wears the branding: the accent colour on titles and bars, the logo, the prepared-by line
and the consultant's commentary.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

import i18n
from i18n import gettext as _, ngettext
from questionnaires.errors import PhasegateError
from questionnaires.models import Questionnaire
from reports import charts
from reports.branding import Branding
from scoring.benchmark import Benchmark, summary_text
from scoring.engine import Result, join_names
from scoring.narrative import narrate
from scoring.pilots import format_money, verdict_counts
from scoring.words import quoted

FONT = "Arial"
INK = RGBColor(0x1D, 0x27, 0x33)
MUTED = RGBColor(0x6B, 0x77, 0x85)
PALE = RGBColor(0xF3, 0xF5, 0xF7)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
WIDE = Inches(13.333)
TALL = Inches(7.5)
MARGIN = Inches(0.6)
BODY_TOP = Inches(1.45)
CHART_SCALE = 2  # PNG pixels per chart pixel: sharp on a projector
TOP_STEPS = 5
TOP_DISAGREEMENTS = 5
PHASE_STATES = {"done": "Achieved", "current": "Working on it", "ahead": "Ahead"}
MIN_SLIDES, MAX_SLIDES = 8, 12


@dataclass(frozen=True)
class DeckInput:
    """What a deck is made from: the scored result, and for a workshop the room's aggregate."""

    questionnaire: Questionnaire
    result: Result
    branding: Branding
    generated: dt.date
    workshop: object | None = None  # scoring.workshop.WorkshopResult
    benchmark: Benchmark | None = None
    progress: object | None = None  # scoring.compare.Comparison: what moved since the baseline (a first run's)
    rerun: str = ""  # 'Re-run of the workshop of 2 March 2026': named on the cover and in every footer


def render_deck(questionnaire: Questionnaire, result: Result, branding: Branding | None = None, *,
                workshop=None, benchmark: Benchmark | None = None, generated: dt.date | None = None,
                progress=None, rerun: str = "") -> bytes:
    """The readout deck as PPTX bytes (`workshop`: a WorkshopResult whose `result` is `result`; `progress`: a
    `scoring.compare.Comparison` with the baseline; `rerun`: the words that name a re-run workshop)."""
    questionnaire = questionnaire.for_size(result.size)  # each question as the organisation was asked it
    given = DeckInput(questionnaire, result, branding or Branding(), generated or dt.date.today(), workshop,
                      benchmark if benchmark is not None and benchmark.available else None, progress, rerun)
    deck = Deck(given)
    for build in SLIDES:
        build(deck, given)
    return deck.save()


def slide_titles(data: bytes) -> list[str]:
    """The title of every slide of a deck (for tests and for checking a file by hand)."""
    return [slide.shapes.title.text if slide.shapes.title is not None else "" for slide in Presentation(io.BytesIO(data)).slides]


# --- the slide canvas ------------------------------------------------------------------------


class Deck:
    """A 16:9 presentation with branded title bars, footers and helpers for text, tables and charts."""

    def __init__(self, given: DeckInput) -> None:
        self.given = given
        self.accent = RGBColor.from_string(given.branding.color.lstrip("#").upper())
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDE, TALL
        self.layout = self.prs.slide_layouts[5]  # "Title Only": a real title placeholder per slide
        props = self.prs.core_properties
        props.title = f"{given.result.organisation or 'Readout'}: {given.result.title}"[:250]
        props.author = given.branding.prepared_by or "Phasegate"
        props.subject = "AI maturity readout"
        moment = dt.datetime.combine(given.generated, dt.time())
        props.created = props.modified = moment
        props.last_modified_by = props.author
        props.revision = 1

    def save(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()

    def slide(self, title: str, kicker: str = ""):
        """A new slide with its title (and a small kicker line above it), logo and footer."""
        slide = self.prs.slides.add_slide(self.layout)
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(0.18), TALL)
        self._fill(band, self.accent)
        if kicker:
            self.text(slide, kicker.upper(), MARGIN, Inches(0.35), Inches(9.5), Inches(0.3), size=11, color=self.accent,
                      bold=True)
        heading = slide.shapes.title
        heading.left, heading.top, heading.width, heading.height = MARGIN, Inches(0.6), Inches(10.6), Inches(0.8)
        heading.text_frame.word_wrap = True
        heading.text_frame.vertical_anchor = MSO_ANCHOR.TOP
        heading.text_frame.margin_left = heading.text_frame.margin_right = Inches(0.05)
        self._style(heading.text_frame, title, size=26 if len(title) <= 60 else 22, color=INK, bold=True)
        self._logo(slide, Inches(11.55), Inches(0.35), Inches(1.2), Inches(0.7))
        self._footer(slide)
        return slide

    def _footer(self, slide) -> None:
        given = self.given
        parts = [given.result.organisation or _("Unnamed organisation"), given.result.title, i18n.date(given.generated)]
        if given.rerun:
            parts.insert(2, given.rerun)
        if given.branding.prepared_by:
            parts.append(_("Prepared by {name}").format(name=given.branding.prepared_by))
        footer = " ".join(" · ".join(parts).split())
        # The whole footer, never cut: a long organisation or title wraps, and the box grows upward from the foot.
        high = Emu(text_height(footer, Inches(11.4) - 2 * Inches(0.05), 9))
        self.text(slide, footer, MARGIN, TALL - Inches(0.2) - high, Inches(11.4), high, size=9, color=MUTED,
                  anchor=MSO_ANCHOR.BOTTOM)
        number = len(self.prs.slides)
        self.text(slide, str(number), WIDE - Inches(1.1), TALL - Inches(0.5), Inches(0.5), Inches(0.3), size=9,
                  color=MUTED, align=PP_ALIGN.RIGHT)

    def _logo(self, slide, left, top, width, height) -> None:
        logo = self.given.branding.logo
        if logo is None:
            return
        picture = self.picture(slide, logo, left, top, width, height, align=PP_ALIGN.RIGHT)
        picture._element.nvPicPr.cNvPr.set("descr", self.logo_text())

    def logo_text(self) -> str:
        who = self.given.branding.prepared_by
        return _("Logo of {name}").format(name=clean(who)) if who else _("Logo")

    @staticmethod
    def _fill(shape, colour: RGBColor) -> None:
        """A flat fill: no outline, and none of the theme's shadow and glow."""
        style = shape._element.find(qn("p:style"))
        if style is not None:
            shape._element.remove(style)
        shape.fill.solid()
        shape.fill.fore_color.rgb = colour
        shape.line.fill.background()

    def text(self, slide, content: str | Sequence, left, top, width, height, *, size: int = 16, color=INK,
             bold: bool = False, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, spacing: int = 0):
        """A text box; `content` is one paragraph, or a list of paragraphs (a str, or (text, {style}) pairs)."""
        box = slide.shapes.add_textbox(left, top, width, height)
        frame = box.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = anchor
        frame.margin_left = frame.margin_right = Inches(0.05)
        self._style(frame, content, size=size, color=color, bold=bold, align=align, spacing=spacing)
        return box

    def _style(self, frame, content, *, size: int, color, bold: bool = False, align=PP_ALIGN.LEFT,
               spacing: int = 0) -> None:
        paragraphs = [content] if isinstance(content, str) else list(content)
        frame.clear()
        for number, item in enumerate(paragraphs):
            text, style = (item, {}) if isinstance(item, str) else item
            paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
            paragraph.alignment = style.get("align", align)
            if spacing and number:
                paragraph.space_before = Pt(spacing)
            run = paragraph.add_run()
            run.text = clean(text)
            font = run.font
            font.name = FONT
            font.size = Pt(style.get("size", size))
            font.bold = style.get("bold", bold)
            font.color.rgb = style.get("color", color)

    def bullets(self, slide, items: Sequence[str], left, top, width, height, *, size: int = 16, spacing: int = 8):
        """Short paragraphs with a bullet mark in the accent colour."""
        box = slide.shapes.add_textbox(left, top, width, height)
        frame = box.text_frame
        frame.word_wrap = True
        for number, item in enumerate(items):
            paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
            if number:
                paragraph.space_before = Pt(spacing)
            mark = paragraph.add_run()
            mark.text = "■  "
            mark.font.size, mark.font.name, mark.font.color.rgb = Pt(size - 4), FONT, self.accent
            run = paragraph.add_run()
            run.text = clean(item)
            run.font.size, run.font.name, run.font.color.rgb = Pt(size), FONT, INK
        return box

    def table(self, slide, header: Sequence[str], rows: Sequence[Sequence[str]], left, top, width, widths: Sequence[float],
              *, size: int = 12):
        """A table with a header row in the accent colour; `widths` are shares of `width`. Every cell holds its
        whole text, wrapped; each row is as tall as its tallest cell needs (see `row_height`)."""
        heights = [row_height(header, widths, width, size, bold=True)] + [row_height(r, widths, width, size) for r in rows]
        shape = slide.shapes.add_table(len(rows) + 1, len(header), left, top, width, sum(heights))
        table = shape.table
        for number, height in enumerate(heights):
            table.rows[number].height = height
        for column, share in enumerate(widths):
            table.columns[column].width = Emu(int(width * share))
        for column, name in enumerate(header):
            self._cell(table.cell(0, column), name, size=size, color=WHITE, bold=True, fill=self.accent)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                self._cell(table.cell(number, column), value, size=size, color=INK,
                           fill=PALE if number % 2 == 0 else WHITE)
        return table

    def _cell(self, cell, value: str, *, size: int, color, bold: bool = False, fill=WHITE) -> None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill
        cell.margin_left = cell.margin_right = Inches(0.08)
        cell.margin_top = cell.margin_bottom = Inches(0.04)
        self._style(cell.text_frame, value, size=size, color=color, bold=bold)

    def fitted_table(self, slide, title: str, kicker: str, header: Sequence[str], rows: Sequence[Sequence[str]],
                     widths: Sequence[float], bottom, *, left=MARGIN, top=BODY_TOP, width=Inches(12.1)) -> list:
        """A table whose cells are never cut: the largest of TABLE_SIZES at which its rows fit above `bottom`; rows
        that fit at none go on to a continuation slide titled '`title` (continued)'. Returns the slides used."""
        size, fits = fitting(header, rows, widths, width, bottom - top)
        slides = [slide]
        self.table(slide, header, rows[:fits], left, top, width, widths, size=size)
        rest = list(rows[fits:])
        while rest:
            slide = self.slide(f"{title} (continued)", kicker)
            slides.append(slide)
            size, fits = fitting(header, rest, widths, width, bottom - top)
            fits = max(fits, 1)
            self.table(slide, header, rest[:fits], left, top, width, widths, size=size)
            rest = rest[fits:]
        return slides

    def picture(self, slide, png: bytes, left, top, width, height, align=PP_ALIGN.CENTER):
        """A PNG fitted inside the box, keeping its proportions."""
        from PIL import Image

        with Image.open(io.BytesIO(png)) as image:
            pixels_wide, pixels_high = image.size
        scale = min(width / pixels_wide, height / pixels_high)
        shown_wide, shown_high = int(pixels_wide * scale), int(pixels_high * scale)
        offset = {PP_ALIGN.LEFT: 0, PP_ALIGN.RIGHT: width - shown_wide}.get(align, (width - shown_wide) // 2)
        return slide.shapes.add_picture(io.BytesIO(png), left + offset, top, shown_wide, shown_high)

    def chart(self, slide, spec: dict, left, top, width, height, description: str, readable: bool = False):
        """A chart spec rendered to PNG and placed in the box, with alternative text for screen readers; with
        `readable`, its type raised to MIN_CHART_POINTS or more as shown."""
        png = readable_png(spec, width, height)[0] if readable else chart_png(projected(spec))
        picture = self.picture(slide, png, left, top, width, height)
        picture._element.nvPicPr.cNvPr.set("descr", description)
        return picture


# --- fitting text: tables whose cells hold their whole text, charts whose type reads at 12 pt -------------

PLAN_SIZES = (13, 12, 11, 10)  # point sizes the 90-day plan's list of Now steps may take
TITLE_SIZES = (40, 30, 24, 20, 16)  # point sizes the organisation's name may take on the title slide
TABLE_SIZES = (12, 11, 10)  # point sizes a table may take, largest first
CELL_MARGIN_X = Inches(0.08)
CELL_MARGIN_Y = Inches(0.04)
LINE_SPACING = 1.2  # a line's height, in font sizes
EMU_PER_POINT = 12700


@lru_cache(maxsize=8)
def _font(size: int, bold: bool):
    """A font to measure text with: DejaVu Sans, a little wider than Arial, so what fits here fits there."""
    from PIL import ImageFont

    return ImageFont.truetype("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", size * 4)


def text_width(text: str, size: int, bold: bool = False) -> float:
    """The width of one line of text in points."""
    return _font(size, bold).getlength(text) / 4


def line_count(text: str, width_points: float, size: int, bold: bool = False) -> int:
    """The lines a text wraps to in a box `width_points` wide, breaking at spaces (a word wider than the box
    breaks wherever it must, as PowerPoint does)."""
    lines = 0
    for paragraph in str(text).split("\n"):
        line, count = "", 1
        for word in paragraph.split():
            trial = f"{line} {word}" if line else word
            if text_width(trial, size, bold) <= width_points:
                line = trial
                continue
            if line:
                count += 1
            count += int(text_width(word, size, bold) // width_points)
            line = word
        lines += count
    return lines


def text_height(text: str, width, size: int, bold: bool = False) -> int:
    """The height (EMU) a text box `width` EMU wide needs to show `text` whole at `size` points, margins included."""
    lines = line_count(text, width / EMU_PER_POINT, size, bold)
    return int(lines * size * LINE_SPACING * EMU_PER_POINT + 2 * CELL_MARGIN_Y + 2 * EMU_PER_POINT)


def fitting_size(text: str, width, height, sizes: Sequence[int], bold: bool = False) -> int | None:
    """The largest of `sizes` at which `text` fits whole in a box `width` x `height` (EMU); None when none does."""
    return next((size for size in sizes if text_height(text, width, size, bold) <= height), None)


def row_height(cells: Sequence[str], widths: Sequence[float], width, size: int, bold: bool = False) -> int:
    """The height (EMU) a table row needs to show every cell's whole text at `size` points."""
    lines = max(line_count(text, (width * share - 2 * CELL_MARGIN_X) / EMU_PER_POINT, size, bold)
                for text, share in zip(cells, widths))
    return int(lines * size * LINE_SPACING * EMU_PER_POINT + 2 * CELL_MARGIN_Y + 2 * EMU_PER_POINT)


def fitting(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float], width,
            height) -> tuple[int, int]:
    """The largest of TABLE_SIZES at which all rows fit in `height`, and how many rows fit at it (at the smallest
    size when none fits them all)."""
    for size in TABLE_SIZES:
        used, fits = row_height(header, widths, width, size, bold=True), 0
        for row in rows:
            used += row_height(row, widths, width, size)
            if used > height:
                break
            fits += 1
        if fits == len(rows):
            return size, fits
    return TABLE_SIZES[-1], fits


MIN_CHART_POINTS = 12  # the smallest type a chart shows on a slide


def _font_sizes(spec, factor: float, floor: float):
    """The spec with every font size multiplied by `factor` and raised to at least `floor` pixels, label limits
    widened with it so no label is cut shorter."""
    if isinstance(spec, list):
        return [_font_sizes(item, factor, floor) for item in spec]
    if not isinstance(spec, dict):
        return spec
    out = {}
    for key, value in spec.items():
        if key.lower().endswith("fontsize") and isinstance(value, (int, float)):
            out[key] = max(value * factor, floor)
        elif key in ("labelLimit", "limit") and isinstance(value, (int, float)) and value:
            out[key] = value * max(factor, floor / 8)
        else:
            out[key] = _font_sizes(value, factor, floor)
    return out


def smallest_font(spec) -> float:
    """The smallest font size (pixels) a spec sets anywhere, 10 (Vega's default) when it sets none."""
    sizes = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key.lower().endswith("fontsize") and isinstance(value, (int, float)):
                    sizes.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    return min(sizes, default=10)


def shown_points(png: bytes, width, height) -> float:
    """Points on the slide per chart pixel, for a PNG (at CHART_SCALE) fitted into a box of `width` x `height`."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        wide, high = image.size
    return min(width / wide, height / high) / EMU_PER_POINT * CHART_SCALE


def readable_png(spec: dict, width, height, least: float = MIN_CHART_POINTS) -> tuple[bytes, float]:
    """The chart as PNG with its type raised until its smallest text shows at `least` points or more in a box of
    `width` x `height`; also the smallest size it shows at."""
    spec = projected(spec)
    png = chart_png(spec)
    for _ in range(4):
        shown = smallest_font(spec) * shown_points(png, width, height)
        if shown >= least:
            break
        spec = _font_sizes(spec, least / shown * 1.04, 0)
        png = chart_png(spec)
    return png, smallest_font(spec) * shown_points(png, width, height)


def slide_timeline(spec: dict) -> dict:
    """The plan's timeline for a slide: steps by rank, no title (the slide has one), rows tall enough for type
    that reads from the back of the room, and legend labels never cut."""
    spec = {key: value for key, value in ranks_only(spec).items() if key != "title"}
    steps = len(spec.get("datasets", {}).get("bars", []))
    spec.update(width=420, height=max(120, 30 * steps))
    spec = _font_sizes(spec, 1, 16)
    config = dict(spec.get("config", {}))
    config["legend"] = {**config.get("legend", {}), "labelLimit": 0}
    return {**spec, "config": config}


def ranks_only(spec: dict) -> dict:
    """A timeline whose steps are labelled by rank alone ('3.'): on a slide the list beside it names them."""
    bars = spec.get("datasets", {}).get("bars", [])
    text = json.dumps(spec)
    for bar in bars:
        text = text.replace(json.dumps(bar["step"]), json.dumps(f"{bar['rank']}."))
    return json.loads(text)


def chart_png(spec: dict) -> bytes:
    """A Vega-Lite spec as PNG, at CHART_SCALE pixels per chart pixel on a white background, its axis and legend
    type a little larger than on paper so the back of the room can read them."""
    import vl_convert

    with charts.CONVERTER_LOCK:  # one conversion at a time in a process (see reports/charts.py)
        return vl_convert.vegalite_to_png({**spec, "background": "white"}, scale=CHART_SCALE)


PROJECTED_TYPE = 1.3  # axis and legend type on a slide, relative to the printed report


def projected(spec: dict) -> dict:
    """The same chart with its configured axis and legend type sizes scaled by PROJECTED_TYPE."""
    config = {key: dict(value) if isinstance(value, dict) else value for key, value in spec.get("config", {}).items()}
    for part in ("axis", "legend"):
        for key, value in list(config.get(part, {}).items()):
            if key.endswith("FontSize") and isinstance(value, (int, float)):
                config[part][key] = round(value * PROJECTED_TYPE, 1)
    return {**spec, "config": config}


def clean(text: str) -> str:
    """Text a slide can hold: control characters (refused by the file format) shown as code points."""
    from reports.text import CONTROLS

    return CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", str(text))


def names(result: Result) -> dict[str, str]:
    return {d.id: d.name for d in result.domains}


# --- the slides --------------------------------------------------------------------------------


def title_slide(deck: Deck, given: DeckInput) -> None:
    slide = deck.prs.slides.add_slide(deck.layout)
    cover = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(5.2), TALL)
    deck._fill(cover, deck.accent)
    heading = slide.shapes.title
    heading.left, heading.top, heading.width, heading.height = Inches(5.8), Inches(2.2), Inches(7), Inches(1.6)
    heading.text_frame.word_wrap = True
    heading.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    organisation = " ".join((given.result.organisation or _("Unnamed organisation")).split())
    # The whole name at the largest size that fits the title box (an organisation has at most 200 characters).
    size = fitting_size(organisation, Inches(7) - 2 * Inches(0.1), Inches(1.6), TITLE_SIZES, bold=True) \
        or TITLE_SIZES[-1]
    deck._style(heading.text_frame, organisation, size=size, color=INK, bold=True)
    kind = _("Workshop readout") if given.workshop is not None else _("Assessment readout")
    lines = [(kind, {"size": 24, "color": deck.accent, "bold": True}),
             (_("{title}, version {version}").format(title=given.result.title,
                                                      version=given.result.questionnaire_version), {"size": 16}),
             (i18n.date(given.generated), {"size": 16, "color": MUTED})]
    if given.workshop is not None:
        room = given.workshop
        lines.insert(2, (ngettext("{count} participant, {finished} finished", "{count} participants, {finished} finished",
                                  room.participants).format(count=room.participants, finished=room.finished),
                         {"size": 16}))
    if given.rerun:
        lines.insert(1, (given.rerun, {"size": 18, "color": deck.accent, "bold": True}))
    deck.text(slide, lines, Inches(5.8), Inches(3.9), Inches(7), Inches(1.8), spacing=6)
    if given.branding.prepared_by:
        deck.text(slide, _("Prepared by {name}").format(name=given.branding.prepared_by), Inches(5.8), Inches(6.3), Inches(7), Inches(0.5),
                  size=14, color=MUTED)
    deck.text(slide, _("AI maturity"), Inches(0.6), Inches(0.6), Inches(4.2), Inches(0.6), size=18, color=WHITE, bold=True)
    deck.text(slide, _("From pilots to production: where the organisation stands, and what to do next."),
              Inches(0.6), Inches(5.2), Inches(4.1), Inches(1.4), size=16, color=WHITE)
    if given.branding.logo is not None:
        plate = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(0.6), Inches(1.6), Inches(3.2), Inches(1.6))
        deck._fill(plate, WHITE)
        logo = deck.picture(slide, given.branding.logo, Inches(0.8), Inches(1.75), Inches(2.8), Inches(1.3))
        logo._element.nvPicPr.cNvPr.set("descr", deck.logo_text())


def headline_slide(deck: Deck, given: DeckInput) -> None:
    result, overall = given.result, given.result.overall
    slide = deck.slide(_("Phase {number}: {name}").format(number=overall.phase, name=overall.phase_name)
                       if not overall.complete else _("All four phases achieved"), _("Where the organisation stands"))
    lines = [(overall.profile + ".", {"size": 22, "bold": True}),
             (_("Weakest-link rule: the organisation is as far as its least mature domain. {achieved}, maturity "
                "index {index} of 4, confidence {confidence}.").format(
                 achieved=_achieved(overall.achieved), index=decimal(overall.index), confidence=share(overall.confidence)),
              {"size": 15, "color": MUTED})]
    deck.text(slide, lines, MARGIN, BODY_TOP, Inches(12), Inches(1.5), spacing=8)
    _phase_track(deck, slide, given, Inches(3.0), Inches(12))
    commentary = given.branding.commentary
    if commentary:
        size = 18 if len(commentary) <= 300 else 15 if len(commentary) <= 700 else 12 if len(commentary) <= 1300 else 10
        box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, Inches(4.45), Inches(12), Inches(2.45))
        deck._fill(box, PALE)
        who = (_("{name}'s view").format(name=given.branding.prepared_by) if given.branding.prepared_by
               else _("The consultant's view"))
        deck.text(slide, [(who, {"bold": True, "color": deck.accent, "size": 13}),
                          (commentary, {"size": size})], MARGIN + Inches(0.15), Inches(4.55), Inches(11.7),
                  Inches(2.25), spacing=4)
        return
    findings = narrate(given.questionnaire, result).findings
    if findings:
        deck.bullets(slide, findings[:3], MARGIN, Inches(4.55), Inches(12), Inches(2.3), size=16, spacing=8)


def _achieved(phases: int) -> str:
    return _("No phase achieved yet") if phases == 0 else _("All four phases achieved") if phases >= 4 else (
        _("Phase {number} achieved").format(number=phases) if phases == 1
        else _("Phases 1 to {number} achieved").format(number=phases))


def decimal(value: float, digits: int = 1) -> str:
    """A figure as a slide writes it: 2.3 in English, 2,3 in German."""
    return f"{value:.{digits}f}" if i18n.current() == i18n.SOURCE else i18n.number(value, digits)


def share(value: float) -> str:
    """A share as a slide writes it: 42% in English, 42 % in German."""
    return f"{value:.0%}" if i18n.current() == i18n.SOURCE else i18n.percent(value)


def domain_line(domain, limiting: bool) -> str:
    """'Data: index 2.6, working on phase 3' (', holds the organisation back' for a limiting one)."""
    index = decimal(domain.index)
    if domain.working_phase is None:
        return (_("{domain}: index {index}, all four phases achieved, holds the organisation back") if limiting
                else _("{domain}: index {index}, all four phases achieved")).format(domain=domain.name, index=index)
    return (_("{domain}: index {index}, working on phase {number}, holds the organisation back") if limiting
            else _("{domain}: index {index}, working on phase {number}")).format(
        domain=domain.name, index=index, number=domain.working_phase)


def _phase_track(deck: Deck, slide, given: DeckInput, top, width) -> None:
    overall = given.result.overall
    phases = given.questionnaire.roadmap.phases
    gap = Inches(0.12)
    each = int((width - gap * (len(phases) - 1)) / len(phases))
    for number, phase in enumerate(phases):
        state = ("done" if phase.number <= overall.achieved else
                 "current" if phase.number == overall.phase and not overall.complete else "ahead")
        left = MARGIN + (each + gap) * number
        box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, each, Inches(1.2))
        fill = {"done": deck.accent, "current": WHITE, "ahead": PALE}[state]
        deck._fill(box, fill)
        if state == "current":
            box.line.color.rgb = deck.accent
            box.line.width = Pt(3)
        color = WHITE if state == "done" else INK
        deck.text(slide, [(_("Phase {number} · {state}").format(number=phase.number, state=_(PHASE_STATES[state])),
                           {"size": 11, "bold": True}),
                          (phase.name, {"size": 14})], left + Inches(0.08), top + Inches(0.1), each - Inches(0.16),
                  Inches(1.0), color=color, spacing=4)


def progress_slide(deck: Deck, given: DeckInput) -> None:
    """What moved since the baseline, per domain and for the pilots (in place of the domains slide)."""
    from reports.html import pilot_figure_row
    from scoring.compare import since_text
    from scoring.progress import progress_sentence

    progress = given.progress
    slide = deck.slide(since_text(progress.baseline_date, progress.baseline_kind), _("Progress"))
    deck.chart(slide, charts.progress_chart(progress, given.branding.color).to_dict(), MARGIN, BODY_TOP, Inches(6.4),
               Inches(4.6), "Bar chart of each domain's maturity index at the baseline and now.")
    lines = [f"{d.name}: {d.bar_text}" for d in progress.domains]
    lines += [f"Pilots, {row['figure'].lower()}: {row['before']} → {row['now']}"
              for row in map(pilot_figure_row, progress.pilots) if row["before"] != row["now"]]
    deck.bullets(slide, lines, Inches(7.3), BODY_TOP + Inches(0.1), Inches(5.5), Inches(4.6), size=13, spacing=6)
    deck.text(slide, progress_sentence(progress), MARGIN, Inches(6.2), Inches(12), Inches(0.6), size=13, color=MUTED)


def domains_slide(deck: Deck, given: DeckInput) -> None:
    if given.progress is not None:
        progress_slide(deck, given)
        return
    result = given.result
    slide = deck.slide(_("Where each domain stands"), _("Domains"))
    specs = charts.report_specs(result, given.branding.color)
    deck.chart(slide, specs["domains"], MARGIN, BODY_TOP, Inches(7.4), Inches(5.2),
               _("Bar chart of each domain's maturity index from 0 to 4, with its target phase."))
    lines = []
    for domain in result.domains:
        if not domain.assessed:
            lines.append(_("{domain}: not assessed").format(domain=domain.name))
            continue
        lines.append(domain_line(domain, domain.id in result.overall.limiting_domains))
    deck.bullets(slide, lines, Inches(8.3), BODY_TOP + Inches(0.2), Inches(4.5), Inches(5.0), size=14, spacing=10)


def heatmap_slide(deck: Deck, given: DeckInput) -> None:
    slide = deck.slide(_("Each domain, phase by phase"), _("Domain × phase"))
    specs = charts.report_specs(given.result, given.branding.color)
    deck.chart(slide, specs["heatmap"], MARGIN, BODY_TOP, Inches(8.2), Inches(5.2),
               _("Heatmap of attainment per domain and phase; a tick marks a phase at or above its threshold."))
    thresholds = sorted({p.threshold for p in given.questionnaire.roadmap.phases})
    bar = _(" or ").join(share(t) for t in thresholds)
    notes = [_("A phase is achieved when its practices reach {bar} of the top level and every earlier phase is "
               "achieved too; ✓ marks a phase at or above the bar.").format(bar=bar)]
    if given.branding.commentary:  # the headline slide gave its room to the commentary: the findings are here
        notes = [*narrate(given.questionnaire, given.result).findings[:3], *notes]
    gaps = [d.name for d in given.result.domains if d.foundation_gap]
    if gaps:
        notes.append(_("Foundation gap in {domains}: a later phase is in place while an earlier one is not.").format(
            domains=join_names(gaps)))
    deck.bullets(slide, notes, Inches(9.1), BODY_TOP + Inches(0.2), Inches(3.7), Inches(5.0), size=13)


def pilots_slide(deck: Deck, given: DeckInput) -> None:
    metrics = given.result.pilots
    funnel = getattr(charts, "pilot_funnel_spec", None)
    if metrics is None or not metrics.total:
        return
    slide = deck.slide(_("The pilot portfolio"), _("Pilots"))
    if funnel is not None:
        deck.chart(slide, funnel(metrics, given.branding.color), MARGIN, BODY_TOP, Inches(7.4), Inches(5.2),
                   _("Funnel of the organisation's AI pilots by stage."))
    deck.bullets(slide, pilot_lines(metrics), Inches(8.3) if funnel is not None else MARGIN, BODY_TOP + Inches(0.2),
                 Inches(4.5) if funnel else Inches(12), Inches(5.0), size=14)


def pilot_lines(metrics) -> list[str]:
    """The pilot slide's figures in words, in the language of the moment."""
    from reports.html import reference_citation

    months = metrics.stuck_after_months
    rate = _("not yet measurable") if metrics.conversion_rate is None else share(metrics.conversion_rate)
    lines = [ngettext("{total} pilot, {reached} in production or scaled.",
                      "{total} pilots, {reached} in production or scaled.", metrics.total).format(
                 total=metrics.total, reached=metrics.reached),
             _("Conversion: {rate} of the pilots started {months}+ months ago reached production (reference: about "
               "one AI pilot in five reaches production, after {citation}).").format(
                 rate=rate, months=months, citation=reference_citation()),
             _("{stuck} stuck: active for more than {months} months.").format(stuck=metrics.stuck, months=months)]
    if metrics.stuck:
        value = format_money(metrics.value_waiting, metrics.currency)
        lines.append(_("Value waiting in stuck pilots: {value} a year (pilots to stop left out).").format(value=value)
                     if metrics.value_waiting is not None else
                     _("Value waiting in stuck pilots: {value}.").format(value=value))
    if any(item.verdict for item in metrics.items):
        lines.append(_("Verdicts: {counts}.").format(counts=verdict_counts(metrics)))
    lines.append(_("Without a business owner: {owner}; without a KPI baseline: {kpi}.").format(
        owner=metrics.without_owner, kpi=metrics.without_kpi))
    return lines


def disagreement_slide(deck: Deck, given: DeckInput) -> None:
    room = given.workshop
    if room is None:
        return
    from reports.workshop_charts import counted, disputes_text, distribution_text
    from scoring.answers import answer_label

    disputed = list(room.disagreements)[:TOP_DISAGREEMENTS]
    title = _("Where the room disagreed")
    slide = deck.slide(title, _("Workshop"))
    if not disputed:
        deck.text(slide, "No question was disputed: the room's answers lie within one level of each other.",
                  MARGIN, BODY_TOP, Inches(12), Inches(1), size=18)
        return
    rows = []
    for stats in disputed:
        question = given.questionnaire.question(stats.id)
        agreed = answer_label(given.questionnaire, question, stats.workshop_value)
        state = "decided in the room" if stats.decided else "median, still open"
        rows.append([question.text, distribution_text(stats), f"{stats.spread:.0f}", f"{agreed} ({state})"])
    shown = len(disputed) < len(room.disagreements)
    note = (f"{disputes_text(room)}." + (f" The {len(disputed)} that matter most are shown; the report lists the "
                                         "rest." if shown else "")
            + f" {counted(len(room.decisions), 'answer')} agreed in the room in all; the rest use the median.")
    last = deck.fitted_table(slide, title, _("Workshop"), [_("Question"), _("Answers given"), _("Spread (levels)"),
                                                           _("Workshop answer")], rows,
                             [0.42, 0.25, 0.1, 0.23], TALL - Inches(1.2))[-1]
    deck.text(last, note, MARGIN, TALL - Inches(1.1), Inches(12), Inches(0.5), size=12, color=MUTED)


def perception_slide(deck: Deck, given: DeckInput) -> None:
    room = given.workshop
    if room is None:
        return
    from reports.workshop_charts import gap_sentence

    slide = deck.slide(_("Executive view versus operational reality"), _("Perception gap"))
    _gap_table(deck, slide, room)
    flagged = [gap_sentence(g) for g in room.role_gaps if g.flagged or g.too_few]
    if not flagged:
        flagged = ["Executives and practitioners rate every domain within half a phase of each other."]
    below = BODY_TOP + Inches(0.45) * (len(room.participation) + 1) + Inches(0.4)
    deck.bullets(slide, flagged, MARGIN, min(below, Inches(5.4)), Inches(12), Inches(1.2), size=15, spacing=6)


def _gap_table(deck: Deck, slide, room) -> None:
    """Each role's average index per domain (0-4) as a table, each cell shaded by its value."""
    from reports.workshop_charts import role_label

    joined = {c.role for c in room.participation if c.joined}
    roles = [r for r in room.roles if r.name in joined]
    header = ["Average index by role", *[g.name for g in room.role_gaps], "Overall"]
    rows = []
    for role in roles:
        values = [g.by_role.get(role.name) for g in room.role_gaps] + [room.overall_by_role.get(role.name)]
        rows.append((role_label(role), values))
    share = 0.26
    table = deck.table(slide, header, [[name, *("–" if v is None else f"{v:.1f}" for v in values)] for name, values in rows],
                       MARGIN, BODY_TOP, Inches(12.1), [share] + [(1 - share) / (len(header) - 1)] * (len(header) - 1),
                       size=13)
    for column in range(1, len(header)):
        table.cell(0, column).text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    for number, (_, values) in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = table.cell(number, column)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _shade(deck.accent, value)
            dark = value is not None and value >= 2.4
            for paragraph in cell.text_frame.paragraphs:
                paragraph.alignment = PP_ALIGN.CENTER
                for run in paragraph.runs:
                    run.font.color.rgb = WHITE if dark else INK


def _shade(accent: RGBColor, value: float | None) -> RGBColor:
    """From the palest grey (index 0) to the accent colour (index 4); no value stays white."""
    if value is None:
        return WHITE
    share = max(0.0, min(1.0, value / 4))
    return RGBColor(*(round(pale + (strong - pale) * share) for pale, strong in zip(PALE, accent)))


def benchmark_slide(deck: Deck, given: DeckInput) -> None:
    bench = given.benchmark
    if bench is None:
        return
    from reports.benchmark import benchmark_chart, benchmark_rows

    slide = deck.slide(_("Compared with similar organisations"), _("Benchmark"))
    deck.chart(slide, benchmark_chart(bench, given.branding.color).to_dict(), MARGIN, BODY_TOP, Inches(7.4),
               Inches(4.6), _("Bar chart of the fifth each domain stands in among comparable organisations."))
    lines = [summary_text(bench)] + [f"{row['domain']}: {row['reading']}" for row in benchmark_rows(bench)]
    deck.bullets(slide, lines, Inches(8.3), BODY_TOP + Inches(0.2), Inches(4.5), Inches(5.0), size=13)
    deck.text(slide, _("Only fifths are shown, never an exact rank, and only over at least five organisations: no "
                       "other client can be recognised."), MARGIN, TALL - Inches(1.05), Inches(12), Inches(0.4), size=11, color=MUTED)


def steps_slide(deck: Deck, given: DeckInput) -> None:
    steps = given.result.actions[:TOP_STEPS]
    slide = deck.slide(_("The first five steps") if len(steps) == TOP_STEPS else _("The next steps"), _("Priorities"))
    if not steps:
        deck.text(slide, _("No open step: every domain has reached its target phase."), MARGIN, BODY_TOP, Inches(12),
                  Inches(1), size=18)
        return
    domain = names(given.result)
    rows = [[str(s.rank), s.title, domain.get(s.domain, s.domain), s.owner, s.effort, s.kpi] for s in steps]
    first = steps[0]
    why = first.why and line_count(first.why, 12 * 72, 14) <= 3
    bottom = TALL - Inches(1.95) if why else TALL - Inches(0.8)
    slides = deck.fitted_table(slide, slide.shapes.title.text, _("Priorities"), ["#", _("Step"), _("Domain"), _("Owner"),
                                                                                _("Effort"), _("KPI")], rows,
                               [0.05, 0.35, 0.12, 0.18, 0.07, 0.23], bottom)
    if why:
        deck.text(slides[0] if len(slides) == 1 else slides[-1],
                  [(_("Why first"), {"bold": True, "color": deck.accent, "size": 13}), (first.why, {"size": 14})],
                  MARGIN, TALL - Inches(1.9), Inches(12), Inches(1.2), spacing=4)


def plan_slide(deck: Deck, given: DeckInput) -> None:
    result = given.result
    now = [s for s in result.actions if s.horizon == "now"]
    slide = deck.slide(_("The 90-day plan"), _("Now: the next three months"))
    if not now:
        deck.text(slide, _("Nothing is due in the next 90 days: every domain has reached its target phase."),
                  MARGIN, BODY_TOP, Inches(12), Inches(1), size=18)
        return
    specs = charts.plan_specs(result, given.branding.color)
    if "timeline" in specs:
        deck.chart(slide, slide_timeline(specs["timeline"]), Inches(5.3), BODY_TOP, Inches(7.5), Inches(4.6),
                   _("Timeline of the Now and Next steps in months, each after the steps it requires; steps by rank."),
                   readable=True)
        deck.text(slide, _("Months from the start of the plan; dotted lines lead from a step to the one that waits for "
                           "it."), Inches(5.3), BODY_TOP + Inches(4.7), Inches(7.5), Inches(0.5), size=12, color=MUTED)
    lines = [_("{rank}. {title} — {owner}, effort {effort}").format(rank=s.rank, title=s.title, owner=s.owner,
                                                                     effort=s.effort) for s in now]
    later = len(result.actions) - len(now)
    if later:
        lines.append(ngettext("Then {count} more step in Next (3–9 months) and Later (9–18 months).",
                              "Then {count} more steps in Next (3–9 months) and Later (9–18 months).", later).format(count=later))
    # A long Now list steps down in size rather than run off the slide.
    size = fitting_size("\n".join(f"■  {line}" for line in lines), Inches(4.5) - 2 * Inches(0.1),
                        Inches(5.2) - Pt(6) * (len(lines) - 1), PLAN_SIZES) or PLAN_SIZES[-1]
    deck.bullets(slide, lines, MARGIN, BODY_TOP + Inches(0.1), Inches(4.5), Inches(5.2), size=size, spacing=6)


def risks_slide(deck: Deck, given: DeckInput) -> None:
    story = narrate(given.questionnaire, given.result)
    slide = deck.slide(_("Risks to watch"), _("Risks"))
    risks = list(story.risks) or [_("No governance or MLOps practice below its phase's bar.")]
    deck.bullets(slide, risks, MARGIN, BODY_TOP, Inches(12), Inches(2.8), size=16, spacing=10)
    fitted = next(((quote, size) for quote in story.quotes
                   if (size := fitting_size(quoted(quote.text), QUOTE_WIDTH, QUOTE_HEIGHT, QUOTE_SIZES))), None)
    if fitted:  # the first quote that fits whole: a respondent's words are never cut
        quote, size = fitted
        box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, Inches(4.5), Inches(12), Inches(1.6))
        deck._fill(box, PALE)
        deck.text(slide, [(quoted(" ".join(quote.text.split())), {"size": size}),
                          ((_("Agreed in the room, on {domain}") if given.workshop is not None
                            else _("The respondent, on {domain}")).format(
                               domain=names(given.result).get(quote.domain, quote.domain)),
                           {"size": 12, "color": MUTED})], MARGIN + Inches(0.2), Inches(4.65), Inches(11.6),
                  Inches(1.3), spacing=4)


QUOTE_SIZES = (16, 14, 12)
QUOTE_WIDTH = Inches(11.6) - 2 * Inches(0.05)
QUOTE_HEIGHT = Inches(1.3) - Pt(12 * LINE_SPACING + 4)  # the box, less the line that says who said it


def owners_text(steps) -> str:
    """Who owns which of the steps, each owner once with their ranks: 'CDO: steps 1 and 3; CEO: step 2'."""
    ranks: dict[str, list[str]] = {}
    for step in steps:
        ranks.setdefault(step.owner, []).append(str(step.rank))
    return "; ".join(ngettext("{owner}: step {ranks}", "{owner}: steps {ranks}", len(numbers)).format(
        owner=owner, ranks=join_names(numbers)) for owner, numbers in ranks.items())


def owners_item(now) -> str:
    """The first next step, its counts those of its list: 'Agree a date with each of the 4 owners of the 5 steps due
    in the next 90 days (CDO: steps 1 and 3; ...).'"""
    owners = len({step.owner for step in now})
    facts = {"count": len(now), "owners": owners, "steps": owners_text(now)}
    if owners == 1:
        return ngettext("Agree a date with the owner of the {count} step due in the next 90 days ({steps}).",
                        "Agree a date with the owner of the {count} steps due in the next 90 days ({steps}).",
                        len(now)).format(**facts)
    return ngettext("Agree a date with each of the {owners} owners of the {count} step due in the next 90 days "
                    "({steps}).",
                    "Agree a date with each of the {owners} owners of the {count} steps due in the next 90 days "
                    "({steps}).", len(now)).format(**facts)


def next_steps_slide(deck: Deck, given: DeckInput) -> None:
    result = given.result
    slide = deck.slide(_("Next steps"), _("After today"))
    items = []
    now = [s for s in result.actions if s.horizon == "now"]
    if now:
        items.append(owners_item(now))
    room = given.workshop
    unknown = (sum(q.dont_know for q in room.dont_knows), len(room.dont_knows)) if room is not None else \
        (len(result.unknowns), len(result.unknowns))
    if unknown[0] and room is not None:
        questions = ngettext("{count} question", "{count} questions", unknown[1]).format(count=unknown[1])
        items.append(ngettext("Resolve the {count} “don't know” answer given in the room on {questions}: the result "
                              "leaves it out and is less certain until someone checks.",
                              "Resolve the {count} “don't know” answers given in the room on {questions}: the result "
                              "leaves them out and is less certain until someone checks.", unknown[0]).format(
            count=unknown[0], questions=questions))
    elif unknown[0]:
        items.append(ngettext("Resolve the {count} “don't know” answer: the result leaves it out and is less certain "
                              "until someone checks.",
                              "Resolve the {count} “don't know” answers: the result leaves them out and is less "
                              "certain until someone checks.", unknown[0]).format(count=unknown[0]))
    if result.pilots is not None and result.pilots.stuck:
        items.append(ngettext("Decide on the {count} stuck pilot: fix, merge or stop, as the triage suggests.",
                              "Decide on the {count} stuck pilots: fix, merge or stop, as the triage suggests.",
                              result.pilots.stuck).format(count=result.pilots.stuck))
    if room is not None and room.open_disagreements:
        open_count = len(room.open_disagreements)
        items.append(ngettext("Settle the {count} disputed question still without an agreed answer.",
                              "Settle the {count} disputed questions still without an agreed answer.",
                              open_count).format(count=open_count))
    if room is not None:
        items.append(_("Re-run this workshop in 90 days with the same questionnaire: its report and deck will show "
                       "the progress measured against today's result as the baseline."))
    else:
        items.append(_("Re-assess in 90 days: the same questionnaire, measured against today's result as the "
                       "baseline."))
    size = 18 if sum(line_count(i, 12 * 72, 18) for i in items) <= 9 else 15
    deck.bullets(slide, items, MARGIN, BODY_TOP, Inches(12), Inches(4.6), size=size, spacing=14 if size == 18 else 8)
    if deck.given.branding.prepared_by:
        deck.text(slide, _("Questions and follow-up: {name}").format(name=deck.given.branding.prepared_by), MARGIN, Inches(6.2),
                  Inches(12), Inches(0.5), size=14, color=deck.accent, bold=True)


SLIDES = (title_slide, headline_slide, domains_slide, heatmap_slide, pilots_slide, disagreement_slide,
          perception_slide, benchmark_slide, steps_slide, plan_slide, risks_slide, next_steps_slide)


# --- decks of stored work ------------------------------------------------------------------------


class DeckError(PhasegateError):
    """A deck cannot be made from what is stored; the message says why."""


def workshop_deck(engine, workshop, find, branding: Branding | None = None, *, generated: dt.date | None = None,
                  benchmark: bool = True) -> bytes:
    """The readout deck of a stored workshop: the room's aggregate with its consensus, the workshop's own branding
    (unless `branding` is given) and, where enough comparable clients are stored, the benchmark."""
    import services
    from storage import workshops as ws
    from storage.benchmark import workshop_benchmark

    try:
        questionnaire = find(workshop.questionnaire_id, workshop.questionnaire_version)
    except PhasegateError:
        questionnaire = None
    if questionnaire is None:
        raise DeckError(f"the questionnaire '{workshop.questionnaire_id}' {workshop.questionnaire_version} of this "
                        "workshop is not installed; add it to questionnaires/library/archive/")
    participants, room = services.aggregate_stored(engine, workshop, questionnaire)
    if not participants:
        raise DeckError(f"the workshop for {workshop.client} has no participants yet; there is nothing to read out")
    bench = workshop_benchmark(engine, workshop, room.result, find) if benchmark else None
    from reports.workshop_charts import workshop_branding

    from reports.workshop_charts import progress_since, rerun_text

    return render_deck(questionnaire, room.result, branding or workshop_branding(workshop),
                       workshop=room, benchmark=bench, generated=generated,
                       progress=progress_since(engine, workshop, questionnaire, room, find),
                       rerun=rerun_text(engine, workshop))


def assessment_deck(engine, assessment, questionnaire: Questionnaire, result: Result, branding: Branding | None = None,
                    find=None, *, generated: dt.date | None = None) -> bytes:
    """The readout deck of a stored self-assessment, with the benchmark where enough comparable clients are stored
    (`find(id, version)` gives the questionnaires peers are scored with; default: only this one)."""
    from storage.benchmark import assessment_benchmark

    find = find or (lambda questionnaire_id, version: questionnaire
                    if (questionnaire_id, version) == (questionnaire.id, questionnaire.version) else None)
    bench = assessment_benchmark(engine, assessment, result, find)
    return render_deck(questionnaire, result, branding, benchmark=bench, generated=generated)
