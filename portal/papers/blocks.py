"""The blocks a paper is built from.

One set of blocks feeds two renderings: the web page (``templates/blocks/paper_*.html`` with
``pdf`` unset) and the PDF (the same templates with ``pdf`` set). Charts keep their data in a
table so that the numbers stay editable and readable without JavaScript; ``charts.py`` turns the
table into an ECharts option for the browser and into SVG for WeasyPrint.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from portal.core.blocks import RichTextBlock, TableBlock

#: Rich-text features allowed in a paper: no embeds, nothing WeasyPrint would fetch remotely.
RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "superscript", "subscript"]

TABLE_OPTIONS = {"startRows": 4, "startCols": 3, "colHeaders": False, "rowHeaders": False}


class ChapterBlock(blocks.StructBlock):
    """A chapter heading: starts a new page in the PDF and an entry in the table of contents."""

    number = blocks.IntegerBlock(
        label=_("number"),
        required=False,
        min_value=1,
        max_value=99,
        help_text=_("Leave empty to number chapters in order."),
    )
    heading = blocks.CharBlock(label=_("heading"), max_length=80)

    class Meta:
        icon = "title"
        label = _("Chapter")
        template = "blocks/paper_chapter.html"


class DataTableBlock(blocks.StructBlock):
    """A table with its caption and its source line, as statistical tables are printed."""

    caption = blocks.CharBlock(label=_("caption"), max_length=120)
    table = TableBlock(label=_("table"), table_options=TABLE_OPTIONS)
    source = blocks.CharBlock(label=_("source"), max_length=200, required=False)

    class Meta:
        icon = "table"
        label = _("Table")
        template = "blocks/paper_table.html"

    def clean(self, value):
        value = super().clean(value)
        rows = (value.get("table") or {}).get("data") or []
        if not any(any(str(cell or "").strip() for cell in row) for row in rows):
            raise StructBlockValidationError(
                block_errors={"table": ValidationError(_("The table is empty."))}
            )
        return value


class FigureBlock(blocks.StructBlock):
    """An image with a caption (and its source), numbered like tables."""

    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), max_length=120)
    source = blocks.CharBlock(label=_("source"), max_length=200, required=False)
    alt = blocks.CharBlock(
        label=_("text alternative"),
        max_length=250,
        required=False,
        help_text=_("What the image shows, for readers who cannot see it; the caption if empty."),
    )

    class Meta:
        icon = "image"
        label = _("Figure")
        template = "blocks/paper_figure.html"


class ChartType:
    BAR = "bar"
    LINE = "line"
    PIE = "pie"
    CHOICES = [(BAR, _("Bar chart")), (LINE, _("Line chart")), (PIE, _("Pie chart"))]


class ChartBlock(blocks.StructBlock):
    """A chart drawn from a table: the first row names the series, the first column the
    categories; the other cells are numbers. A pie chart uses the first series only."""

    chart_type = blocks.ChoiceBlock(
        label=_("chart type"), choices=ChartType.CHOICES, default=ChartType.BAR
    )
    caption = blocks.CharBlock(label=_("caption"), max_length=120)
    unit = blocks.CharBlock(label=_("unit"), max_length=20, required=False)
    data = TableBlock(
        label=_("data"),
        table_options=TABLE_OPTIONS,
        help_text=_("First row: series names; first column: categories; other cells: numbers."),
    )
    source = blocks.CharBlock(label=_("source"), max_length=200, required=False)

    class Meta:
        icon = "doc-full"
        label = _("Chart")
        template = "blocks/paper_chart.html"

    def clean(self, value):
        from .charts import ChartDataError, chart_from_table

        value = super().clean(value)
        try:
            chart_from_table(value.get("chart_type"), value.get("data"))
        except ChartDataError as error:
            raise StructBlockValidationError(
                block_errors={"data": ValidationError(str(error))}
            ) from error
        return value


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("value"), max_length=20)
    unit = blocks.CharBlock(label=_("unit"), max_length=12, required=False)
    label = blocks.CharBlock(label=_("label"), max_length=40)


class KeyFiguresBlock(blocks.StructBlock):
    """A panel of headline numbers (3–6 of them) at the top of a chapter."""

    title = blocks.CharBlock(label=_("title"), max_length=60, required=False)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("figures"), min_num=1, max_num=8)

    class Meta:
        icon = "pick"
        label = _("Key figures")
        template = "blocks/paper_key_figures.html"


class FootnoteBlock(blocks.StructBlock):
    """A paragraph that carries a footnote. The note is numbered through the whole paper; the
    web page lists it under the chapter, the PDF sets it at the foot of the page."""

    text = blocks.TextBlock(label=_("paragraph"))
    note = blocks.TextBlock(label=_("footnote"))

    class Meta:
        icon = "openquote"
        label = _("Paragraph with footnote")
        template = "blocks/paper_footnote.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quotation"))
    attribution = blocks.CharBlock(label=_("source"), max_length=120, required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/paper_quote.html"


class FeaturedEntryBlock(blocks.StructBlock):
    """One recommended enterprise (by its credit code), the technology it is chosen for, why."""

    uscc = blocks.CharBlock(
        label=_("unified social credit code"),
        max_length=18,
        help_text=_("The enterprise's 18-character code as in the directory."),
    )
    technology = blocks.CharBlock(label=_("technology or product"), max_length=80, required=False)
    reason = blocks.TextBlock(label=_("reason for recommending"), max_length=300)

    def clean(self, value):
        from portal.enterprises.models import Enterprise
        from portal.enterprises.uscc import validate_uscc

        cleaned = super().clean(value)
        try:
            code = validate_uscc(cleaned["uscc"])
        except ValidationError as error:
            raise StructBlockValidationError({"uscc": error}) from error
        if not Enterprise.objects.filter(Enterprise.classification.released(), uscc=code).exists():
            raise StructBlockValidationError(
                {
                    "uscc": ValidationError(
                        _("No approved enterprise in the directory has this code.")
                    )
                }
            )
        cleaned["uscc"] = code
        return cleaned


class FeaturedBlock(blocks.StructBlock):
    """A category of the yearly 重点企业和优势技术推介目录 and its recommended enterprises."""

    category = blocks.CharBlock(label=_("category"), max_length=60)
    entries = blocks.ListBlock(FeaturedEntryBlock(), label=_("recommended enterprises"))

    class Meta:
        icon = "pick"
        label = _("Recommended enterprises")
        template = "blocks/paper_featured.html"


class PaperStreamBlock(blocks.StreamBlock):
    chapter = ChapterBlock()
    text = RichTextBlock(
        label=_("Text"), features=RICH_TEXT_FEATURES, template="blocks/paper_text.html"
    )
    table = DataTableBlock()
    figure = FigureBlock()
    chart = ChartBlock()
    key_figures = KeyFiguresBlock()
    footnote = FootnoteBlock()
    quote = QuoteBlock()
    featured = FeaturedBlock()
