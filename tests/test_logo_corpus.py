"""Logos: a broken one is refused in one line when given, and left out with a notice when it was stored before."""

from __future__ import annotations

import base64
import datetime as dt
import io
import random
import struct
import zlib

import pytest
from PIL import Image

from questionnaires.errors import BrandingError
from reports import render_pdf
from reports.branding import Branding, branding_from_files
from scoring import Answer, Response, score_response
from storage import get_engine
from storage import repository as repo
from tests.test_app import open_app, start_tiny

DAY = dt.date(2025, 5, 12)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int, pixels: bytes) -> bytes:
    """A PNG whose header claims a size, with whatever pixel data is given (checksums right)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")


def saved(image: Image.Image, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=kind, **options)
    return buffer.getvalue()


def noisy(size=(300, 200)) -> Image.Image:
    return Image.frombytes("RGB", size, random.Random(7).randbytes(size[0] * size[1] * 3))


def mpo() -> bytes:
    return saved(Image.new("RGB", (40, 40), "red"), "MPO", save_all=True,
                 append_images=[Image.new("RGB", (40, 40), "blue")])


CORPUS = {
    "garbage pixel data": (png_claiming(100, 100, b"\x13\x37" * 500), "the image data is damaged or cut short"),
    "garbage compressed pixels": (png_claiming(100, 100, zlib.compress(b"\x05" * 9)),
                                  "the image data is damaged or cut short"),
    "multi-picture jpeg": (mpo(), "logo is a multi-picture JPEG (MPO"),
    "huge dimensions": (png_claiming(5000, 5000, zlib.compress(b"")), "logo is 5000×5000 pixels; use at most 4000"),
    "decompression bomb": (png_claiming(60000, 60000, zlib.compress(b"")), "logo is far too large in pixels"),
    "truncated png": (saved(noisy(), "PNG")[:4000], "the image data is damaged or cut short"),
    "truncated png pixels": (saved(noisy(), "PNG")[:-3000], "the image data is damaged or cut short"),
    "truncated jpeg": (saved(noisy(), "JPEG")[:2000], "the image data is damaged or cut short"),
    "zero bytes": (b"", "the logo file is empty"),
    "text": (b"just text", "not a readable image"),
}
CASES = [pytest.param(data, message, id=name) for name, (data, message) in CORPUS.items()]


@pytest.mark.parametrize("data, message", CASES)
def test_a_broken_logo_is_refused_in_one_line(data, message):
    with pytest.raises(BrandingError) as caught:
        Branding("Acme", logo=data, logo_name="logo.png")
    assert len(caught.value.lines()) == 1
    assert caught.value.lines()[0].startswith("logo.png: ") and message in caught.value.lines()[0]


@pytest.mark.parametrize("data, message", CASES)
def test_a_broken_logo_file_is_refused_in_one_line(tmp_path, data, message):
    path = tmp_path / "logo.png"
    path.write_bytes(data)
    with pytest.raises(BrandingError, match="logo.png: "):
        branding_from_files("Acme", None, path)


def stored_with(logo: str | None) -> dict:
    return {"prepared_by": "Northwind", "color": "#7a3b8f", "commentary": "Start with data.", "logo": logo,
            "logo_name": "logo.png"}


STORED = [pytest.param(base64.b64encode(data).decode("ascii"), message, id=name)
          for name, (data, message) in CORPUS.items() if data]
STORED.append(pytest.param("%%% not base64 %%%", "the saved logo is damaged", id="not base64"))


@pytest.mark.parametrize("stored_logo, message", STORED)
def test_a_broken_stored_logo_is_left_out_with_a_notice(stored_logo, message):
    branding = Branding.from_stored(stored_with(stored_logo))
    assert (branding.logo, branding.prepared_by, branding.color) == (None, "Northwind", "#7a3b8f")
    assert branding.logo_problem.startswith("The saved logo cannot be shown and is left out of the report")
    assert message in branding.logo_problem and "\n" not in branding.logo_problem


@pytest.fixture(scope="module")
def tiny_result(tiny):
    return score_response(tiny, Response("tiny", "1.0.0", {"data.inventory": Answer(2)}, organisation="Acme"))


def test_the_pdf_renders_without_a_broken_stored_logo(tiny, tiny_result):
    """Every broken stored logo leaves the same branding, its texts kept and no logo: one PDF stands for them all."""
    brandings = [Branding.from_stored(stored_with(case.values[0])) for case in STORED]
    assert all(branding == brandings[0] for branding in brandings)
    pdf = render_pdf(tiny, tiny_result, brandings[0], generated=DAY)
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" not in pdf


def test_a_good_logo_is_re_encoded_as_png_and_kept_across_storing():
    jpeg = saved(Image.new("RGB", (60, 30), "#7a3b8f"), "JPEG")
    branding = Branding("Acme", logo=jpeg)
    assert (branding.logo_type, Image.open(io.BytesIO(branding.logo)).format) == ("image/png", "PNG")
    again = Branding.from_stored(branding.to_stored())
    assert (again, again.logo_problem) == (branding, "")


def test_the_logo_option_refuses_a_device_without_reading_it():
    with pytest.raises(BrandingError, match="zero: the logo is not a regular file"):
        branding_from_files("Acme", None, "/dev/zero")


def test_the_report_page_shows_a_notice_and_keeps_working_with_a_broken_stored_logo(app_env):
    at = start_tiny()
    token = at.query_params["a"]
    garbage = base64.b64encode(CORPUS["garbage pixel data"][0]).decode("ascii")
    repo.set_branding(get_engine(), repo.find_assessment(get_engine(), token).id, stored_with(garbage))
    page = open_app(token, "app_pages/report.py")
    assert not page.exception, page.exception
    assert any("The saved logo cannot be shown" in w.value.replace("\\", "") for w in page.warning), [e.value for e in page.error]
    assert page.text_input(key="prepared_by").value == "Northwind"
    page.text_input(key="prepared_by").input("Harbour").run()  # saving the branding works, the logo gone
    assert not page.exception, page.exception
    kept = repo.find_assessment(get_engine(), token).branding
    assert (kept["prepared_by"], kept["logo"]) == ("Harbour", None)


@pytest.mark.parametrize("name", ["truncated png pixels", "truncated jpeg"])
def test_a_truncated_logo_is_refused_even_once_the_pdf_renderer_is_loaded(name):
    import weasyprint  # noqa: F401 - it tells Pillow to accept truncated images, for the whole process
    from PIL import ImageFile

    with pytest.raises(BrandingError, match="damaged or cut short"):
        Branding(logo=CORPUS[name][0])
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as the renderer wants it


@pytest.mark.parametrize("stored_logo, message", STORED[:4] + STORED[-2:])
def test_the_dashboard_keeps_every_control_with_a_broken_stored_logo(app_env, stored_logo, message):
    from storage import workshops as ws
    from tests.conftest import open_page

    workshop = ws.create_workshop(get_engine(), "Acme", "tiny", "1.0.0")
    ws.set_branding(get_engine(), workshop.id, stored_with(stored_logo))
    at = open_page("app_pages/workshop_dashboard.py", f=workshop.facilitator_token)
    assert not at.exception, at.exception
    assert any("The saved logo cannot be shown" in w.value.replace("\\", "") for w in at.warning)
    keys = {b.key for b in at.button} | {b.key for b in at.get("form_submit_button")}
    for control in ("close_workshop", "rerun_workshop", "refresh_consensus"):
        assert control in keys, control
    assert at.text_input(key="brand_prepared_by").value == "Northwind"
    assert at.text_input(key="confirm_delete_workshop") is not None
    at.button(key="FormSubmitter:workshop_branding-Save branding").click().run()  # saved again, without the logo
    assert not at.exception, at.exception
    assert ws.get_workshop(get_engine(), workshop.id).branding["logo"] is None
