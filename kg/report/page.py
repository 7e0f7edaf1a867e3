"""The report's HTML: everything rendered on the server side, escaped, with inline CSS and JS.

Tables, lists and pictures are complete without JavaScript; the script only
adds the actor filter. Every piece of text from the graph goes through
:func:`esc`, and the Content-Security-Policy allows only the report's own
inline script and style (by hash), so text from an article can never run.
"""

from __future__ import annotations

import base64
import hashlib
import html
import math
import re
from collections.abc import Iterable
from importlib import resources

import kg
from kg.report.data import MODALITIES, AllegationInfo, EventInfo, ReportData, Span
from kg.report.layout import (
    NET_W,
    TL_LEFT,
    TL_ROW,
    TL_WIDTH,
    Edge,
    NetworkLayout,
    TimelineLayout,
    network,
    timeline_layout,
)

PLOVER = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
          "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
# Cooperation in greens and blues, verbal conflict in oranges and purples,
# material conflict in reds and browns (colour is never the only cue: every
# marker and badge also carries the type's name).
COLOURS = {
    "AGREE": "#1b7837", "CONSULT": "#2166ac", "SUPPORT": "#5aae61", "CONCEDE": "#66a5a0",
    "COOPERATE": "#35978f", "AID": "#4393c3", "RETREAT": "#7fa7c4", "REQUEST": "#9e86c8",
    "ACCUSE": "#e08214", "REJECT": "#8073ac", "THREATEN": "#d6604d", "PROTEST": "#d9a03a",
    "SANCTION": "#b2182b", "MOBILIZE": "#8c510a", "COERCE": "#762a83", "ASSAULT": "#67001f",
    "OTHER": "#777777",
}
MODALITY_WORDS = {m: m.lower() for m in MODALITIES}


def esc(text: object) -> str:
    """HTML-escape any text from the graph (quotes too, so it is safe inside attributes)."""
    return html.escape(str(text), quote=True)


def _asset(name: str) -> str:
    return resources.files("kg.report").joinpath(name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _type(t: str) -> str:
    return t if t in COLOURS else "OTHER"


def _safe_url(url: str) -> str | None:
    # Only web links: a javascript: or data: URL from an article must not become a link.
    return url if re.match(r"^https?://[^\s\"'<>]+$", url, re.I) else None


# ------------------------------------------------------------------ page
def render(data: ReportData, title: str = "newskg report") -> str:
    """The whole report as one HTML document (a string; same data, same string)."""
    css = _type_css() + _asset("report.css")
    js = _asset("report.js")
    if "</script" in js.lower() or "</style" in css.lower():  # pragma: no cover - guards our own assets
        raise ValueError("report assets must not close their own element")
    tl = timeline_layout(data.events)
    net = network(data)
    counts = (f"{len(data.articles)} articles · {len(data.events)} events · "
              f"{len(data.actors)} actors · {len(data.allegations)} allegations")
    csp = (f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        f"<meta name=\"generator\" content=\"newskg {esc(kg.__version__)}\">\n",
        f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n",
        "<a class=\"skip\" href=\"#main\">Skip to content</a>\n",
        "<header>\n",
        f"<h1>{esc(title)}</h1>\n<p class=\"summary\">{esc(counts)}</p>\n",
        "<nav aria-label=\"Sections\"><ul><li><a href=\"#timeline\">Timeline</a></li>"
        "<li><a href=\"#network\">Actor network</a></li><li><a href=\"#allegations\">Allegations</a></li>"
        "<li><a href=\"#events\">Events</a></li>"
        "<li><a href=\"#actors\">Actors</a></li><li><a href=\"#evidence\">Evidence</a></li></ul></nav>\n",
        _filter_bar(data),
        "</header>\n<main id=\"main\">\n",
        _timeline_section(data, tl),
        _network_section(data, net),
        _allegations_section(data),
        _events_section(data),
        _actors_section(data),
        _evidence_section(data),
        "</main>\n<footer><p>Made by newskg ",
        esc(kg.__version__),
        " from the knowledge graph. Every item links to the sentences it was taken from; "
        "planned, expected, rumored and alleged events are shown hollow and dashed, "
        "never as fact.</p></footer>\n",
        f"<script>{js}</script>\n</body>\n</html>\n",
    ]
    return "".join(parts)


def _type_css() -> str:
    return "".join(f".t-{t}{{--c:{c}}}" for t, c in COLOURS.items()) + "\n"


def _filter_bar(data: ReportData) -> str:
    actors = sorted((a for a in data.actors.values() if a.events or a.articles),
                    key=lambda a: (a.label.lower(), a.iri))
    opts = "".join(f"<option value=\"{a.id}\">{esc(a.label)}</option>" for a in actors)
    return (
        "<div id=\"filterbar\" class=\"filterbar\" hidden>"
        "<label for=\"actor-filter\">Show only what involves</label> "
        f"<select id=\"actor-filter\"><option value=\"\">every actor</option>{opts}</select> "
        "<button type=\"button\" id=\"filter-clear\">Show all</button> "
        "<span id=\"filter-status\" role=\"status\" aria-live=\"polite\"></span></div>\n"
    )


# ------------------------------------------------------------------ helpers
def _actor_ids(data: ReportData, iris: Iterable[str]) -> str:
    return " ".join(sorted({data.actors[a].id for a in iris if a in data.actors}))


def _actor_links(data: ReportData, iris: Iterable[str]) -> str:
    out = []
    for iri in iris:
        a = data.actors.get(iri)
        if a is None:
            continue
        out.append(f"<a class=\"actor\" href=\"#{a.id}\">{esc(a.label)}</a>")
    return ", ".join(out)


def _evidence_links(data: ReportData, spans: Iterable[str]) -> str:
    arts = {a.iri: a for a in data.articles}
    links = []
    ordered = sorted((data.spans[s] for s in spans if s in data.spans),
                     key=lambda s: (arts[s.article].ident if s.article in arts else s.article, s.begin, s.end))
    for s in ordered:
        ident = arts[s.article].ident if s.article in arts else s.article
        links.append(f"<a class=\"ev-link\" href=\"#{s.id}\" title=\"{esc(s.text)}\">{esc(ident)}</a>")
    return " ".join(links) if links else "<span class=\"none\">no sentence recorded</span>"


# ------------------------------------------------------------------ timeline
def _legend(types: list[str]) -> str:
    chips = "".join(
        f"<li><span class=\"sw t-{t}\" aria-hidden=\"true\"></span>{t}</li>" for t in types
    )
    return (
        "<div class=\"legend\"><h3 class=\"vh\">Legend</h3>"
        f"<ul class=\"types\" aria-label=\"Event types (PLOVER)\">{chips}</ul>"
        "<ul class=\"modes\" aria-label=\"Marker styles\">"
        "<li><svg width=\"18\" height=\"12\" aria-hidden=\"true\"><circle class=\"dot\" cx=\"9\" cy=\"6\" r=\"4.5\"/>"
        "</svg>occurred (solid)</li>"
        "<li><svg width=\"18\" height=\"12\" aria-hidden=\"true\" class=\"hollow\"><circle class=\"dot\" cx=\"9\" "
        "cy=\"6\" r=\"4.5\"/></svg>planned, expected, rumored or alleged (hollow, dashed)</li>"
        "<li><svg width=\"26\" height=\"12\" aria-hidden=\"true\"><rect class=\"bar\" x=\"1\" y=\"2\" width=\"24\" "
        "height=\"8\" rx=\"2\"/></svg>known only to the month or year (a bar over the whole span)</li>"
        "</ul></div>\n"
    )


def _timeline_section(data: ReportData, tl: TimelineLayout) -> str:
    present = {_type(e.type) for e in data.events}
    types = [t for t in (*PLOVER, "OTHER") if t in present]
    dated = [e for e in data.events if e.when is not None]
    undated = [e for e in data.events if e.when is None]
    out = [
        "<section id=\"timeline\" aria-labelledby=\"timeline-h\">\n<h2 id=\"timeline-h\">Timeline</h2>\n",
        f"<p>{len(dated)} dated and {len(undated)} undated events, coloured by PLOVER type. "
        "Select a marker to jump to the event; <a href=\"#events\">Events</a> says the same in words.</p>\n",
        _legend(types),
        _timeline_svg(data, tl),
        "</section>\n",
    ]
    return "".join(out)


def _events_section(data: ReportData) -> str:
    dated = [e for e in data.events if e.when is not None]
    undated = [e for e in data.events if e.when is None]
    return "".join([
        "<section id=\"events\" aria-labelledby=\"events-h\">\n<h2 id=\"events-h\">Events</h2>\n",
        "<p>Every event in date order, with who acted on whom, where, and the sentences it was taken from.</p>\n",
        "<h3 id=\"dated-h\">Dated events</h3>\n",
        _event_list(data, dated, "dated-h"),
        "<h3 id=\"undated-h\">Undated events</h3>\n",
        _event_list(data, undated, "undated-h"),
        "</section>\n",
    ])


def _mark_title(data: ReportData, e: EventInfo) -> str:
    when = e.when.text if e.when else "undated"
    return esc(f"{when} · {e.type or 'event'} · {MODALITY_WORDS.get(e.modality, e.modality)} · {e.label}")


def _mark_class(e: EventInfo) -> str:
    hollow = " hollow" if e.modality != "Occurred" else ""
    return f"mk t-{_type(e.type)} m-{esc(e.modality)}{hollow}"


def _timeline_svg(data: ReportData, tl: TimelineLayout) -> str:
    top = 26.0
    dated_h = top + max(tl.rows, 1) * TL_ROW + 8
    und_top = dated_h + 14
    height = und_top + max(tl.undated_rows, 1) * 12 + 10
    out = [
        f"<figure class=\"tl-fig\"><svg class=\"tl\" viewBox=\"0 0 {TL_WIDTH:g} {height:g}\" "
        f"role=\"img\" aria-labelledby=\"tl-cap\" preserveAspectRatio=\"xMinYMin meet\">\n",
        f"<text class=\"lane\" x=\"4\" y=\"{top + 8:g}\">dated</text>\n",
    ]
    for t in tl.ticks:
        out.append(f"<line class=\"tick{' major' if t.major else ''}\" x1=\"{t.x:g}\" x2=\"{t.x:g}\" "
                   f"y1=\"16\" y2=\"{dated_h:g}\"/><text class=\"tick-l\" x=\"{t.x + 2:g}\" y=\"12\">"
                   f"{esc(t.label)}</text>\n")
    if not tl.marks:
        out.append(f"<text class=\"empty\" x=\"{TL_LEFT:g}\" y=\"{top + 8:g}\">no dated events</text>\n")
    for m in tl.marks:
        e = m.event
        y = top + m.row * TL_ROW + TL_ROW / 2
        if m.w == 0:
            shape = f"<circle class=\"dot\" cx=\"{m.x:g}\" cy=\"{y:g}\" r=\"4.2\"/>"
        else:
            shape = (f"<rect class=\"bar p-{e.when.precision if e.when else 'x'}\" x=\"{m.x:g}\" "
                     f"y=\"{y - 4:g}\" width=\"{m.w:g}\" height=\"8\" rx=\"2\"/>")
        out.append(f"<a href=\"#{e.id}\" tabindex=\"-1\" class=\"{_mark_class(e)}\" "
                   f"data-actors=\"{_actor_ids(data, e.actors)}\"><title>{_mark_title(data, e)}</title>{shape}</a>\n")
    out.append(f"<line class=\"sep\" x1=\"0\" x2=\"{TL_WIDTH:g}\" y1=\"{dated_h + 4:g}\" y2=\"{dated_h + 4:g}\"/>\n"
               f"<text class=\"lane\" x=\"4\" y=\"{und_top + 8:g}\">undated</text>\n")
    if not tl.undated:
        out.append(f"<text class=\"empty\" x=\"{TL_LEFT:g}\" y=\"{und_top + 8:g}\">no undated events</text>\n")
    for e, x, row in tl.undated:
        y = und_top + row * 12 + 5
        out.append(f"<a href=\"#{e.id}\" tabindex=\"-1\" class=\"{_mark_class(e)}\" "
                   f"data-actors=\"{_actor_ids(data, e.actors)}\"><title>{_mark_title(data, e)}</title>"
                   f"<circle class=\"dot\" cx=\"{x:g}\" cy=\"{y:g}\" r=\"4.2\"/></a>\n")
    out.append("</svg>\n<figcaption id=\"tl-cap\">Events over time, one marker per event: a dot for an event "
               "dated to the day, a bar for one known only to the month, year or a range; undated events in "
               "their own lane. Hollow, dashed markers are planned, expected, rumored or alleged.</figcaption>"
               "</figure>\n")
    return "".join(out)


def _event_list(data: ReportData, events: list[EventInfo], labelled_by: str) -> str:
    if not events:
        return "<p class=\"none\">None.</p>\n"
    out = [f"<ol class=\"events\" aria-labelledby=\"{labelled_by}\">\n"]
    for e in events:
        t = _type(e.type)
        mod = MODALITY_WORDS.get(e.modality, e.modality.lower())
        when = (f"<time datetime=\"{esc(e.when.iso)}\">{esc(e.when.text)}</time>"
                f"<span class=\"prec\">{esc(e.when.precision)}</span>") if e.when else "<span>undated</span>"
        who = []
        if e.sources or e.targets:
            src = _actor_links(data, e.sources) or "?"
            tgt = _actor_links(data, e.targets) or "?"
            who.append(f"{src} <span aria-label=\"acts on\">→</span> {tgt}")
        others = [a for a in e.participants if a not in e.sources and a not in e.targets]
        if others:
            who.append(("with " if who else "") + _actor_links(data, others))
        if e.place:
            who.append(f"at {esc(e.place)}")
        if e.items:
            who.append("items: " + esc(", ".join(e.items)))
        kind = f" <span class=\"kind\">{esc(e.kind)}</span>" if e.kind else ""
        out.append(
            f"<li id=\"{e.id}\" class=\"ev m-{esc(e.modality)}{' hollow' if e.modality != 'Occurred' else ''}\" "
            f"data-actors=\"{_actor_ids(data, e.actors)}\">"
            f"<span class=\"when\">{when}</span> "
            f"<span class=\"badge t-{t}\">{esc(e.type or 'event')}</span>{kind} "
            f"<span class=\"mod m-{esc(e.modality)}\">{esc(mod)}</span> "
            f"<span class=\"label\">{esc(e.label)}</span>"
            + (f"<span class=\"who\">{'; '.join(who)}</span>" if who else "")
            + f"<span class=\"refs\">Evidence: {_evidence_links(data, e.spans)}</span></li>\n"
        )
    out.append("</ol>\n")
    return "".join(out)


# ------------------------------------------------------------------ network
def _network_section(data: ReportData, net: NetworkLayout) -> str:
    shown = len(net.nodes)
    note = (f"The {shown} actors in the most events are shown, of {net.total_actors}; "
            "the filter above reaches every actor." if net.total_actors > shown else
            f"All {shown} actors that take part in events are shown.")
    return (
        "<section id=\"network\" aria-labelledby=\"network-h\">\n<h2 id=\"network-h\">Actor network</h2>\n"
        f"<p>{esc(note)} An arrow runs from the actor who acts to the one acted on, thicker for more events, "
        "coloured by the most frequent event type; a dashed line joins actors in events without known roles. "
        "<span class=\"js-only\" hidden>Click an actor, or Tab to it and press Enter or Space, to show only what "
        "involves it.</span></p>\n"
        + _network_svg(data, net)
        + "</section>\n"
    )


def _edge_path(edge: Edge, pos: dict[str, tuple[float, float, float]], curved: bool) -> str:
    x1, y1, r1 = pos[edge.source]
    x2, y2, r2 = pos[edge.target]
    dx, dy = x2 - x1, y2 - y1
    d = math.hypot(dx, dy) or 1.0
    if curved:
        cx, cy = (x1 + x2) / 2 - dy / d * d * 0.12, (y1 + y2) / 2 + dx / d * d * 0.12
    else:
        cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    # Start and end on the node borders, along the curve's tangents.
    def shorten(px: float, py: float, qx: float, qy: float, by: float) -> tuple[float, float]:
        ux, uy = qx - px, qy - py
        n = math.hypot(ux, uy) or 1.0
        return px + ux / n * by, py + uy / n * by

    sx, sy = shorten(x1, y1, cx, cy, r1 + 1)
    ex, ey = shorten(x2, y2, cx, cy, r2 + (3 if edge.directed else 1))
    return f"M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}"


def _network_svg(data: ReportData, net: NetworkLayout) -> str:
    if not net.nodes:
        return "<p class=\"none\">No events between actors yet.</p>\n"
    pos = {n.iri: (n.x, n.y, n.r) for n in net.nodes}
    directed = {(e.source, e.target) for e in net.edges if e.directed}
    used = sorted({_type(e.main_type) for e in net.edges if e.directed})
    defs = "".join(
        f"<marker id=\"ar-{t}\" class=\"t-{t}\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" markerWidth=\"9\" "
        f"markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\"/></marker>"
        for t in used
    )
    out = [
        f"<svg class=\"net\" viewBox=\"0 0 {NET_W:g} {net.height:g}\" role=\"group\" aria-labelledby=\"network-h\">\n",
        f"<defs>{defs}</defs>\n<g class=\"edges\">\n",
    ]
    for e in net.edges:
        t = _type(e.main_type)
        curved = e.directed and (e.target, e.source) in directed
        width = min(1.2 + 1.6 * math.log2(1 + e.count), 9.0)
        s, g = data.actor_label(e.source), data.actor_label(e.target)
        arrow = "→" if e.directed else "–"
        kinds = ", ".join(f"{k} ×{v}" for k, v in e.types.items())
        marker = f" marker-end=\"url(#ar-{t})\"" if e.directed else ""
        cls = "edge" + ("" if e.directed else " undirected")
        out.append(
            f"<path class=\"{cls} t-{t}\" d=\"{_edge_path(e, pos, curved)}\" stroke-width=\"{width:.1f}\"{marker} "
            f"data-actors=\"{_actor_ids(data, (e.source, e.target))}\" data-count=\"{e.count}\">"
            f"<title>{esc(f'{s} {arrow} {g}: {kinds}')}</title></path>\n"
        )
    out.append("</g>\n<g class=\"nodes\">\n")
    for n in net.nodes:
        a = data.actors.get(n.iri)
        aid = a.id if a else ""
        typ = a.type if a else "Actor"
        # Labels point away from the centre: left of nodes on the left, right on the right, above or below
        # at the top and bottom.
        dx, dy = n.x - NET_W / 2, n.y - net.height / 2
        if abs(dx) < 60 and len(net.nodes) > 1:
            anchor, tx, ty = "middle", n.x, (n.y - n.r - 5 if dy < 0 else n.y + n.r + 13)
        elif dx < 0:
            anchor, tx, ty = "end", n.x - n.r - 4, n.y + 4
        else:
            anchor, tx, ty = "start", n.x + n.r + 4, n.y + 4
        label = esc(n.label)
        out.append(
            f"<g class=\"node ty-{esc(typ)}\" tabindex=\"0\" role=\"button\" aria-pressed=\"false\" "
            f"data-actor=\"{aid}\" aria-label=\"{label}, {esc(typ.lower())}, {n.degree} events: show only these\">"
            f"<title>{label} ({esc(typ)}, {n.degree} events)</title>"
            f"<circle cx=\"{n.x:g}\" cy=\"{n.y:g}\" r=\"{n.r:g}\"/>"
            f"<text x=\"{tx:.1f}\" y=\"{ty:.1f}\" text-anchor=\"{anchor}\">{label}</text></g>\n"
        )
    out.append("</g>\n</svg>\n")
    out.append("<ul class=\"legend actor-types\" aria-label=\"Actor types\">"
               + "".join(f"<li><span class=\"sw ty-{t}\" aria-hidden=\"true\"></span>{t.lower()}</li>"
                         for t in ("Country", "Person", "Organization", "Group"))
               + "</ul>\n")
    return "".join(out)


# ------------------------------------------------------------------ allegations
def _status_cell(data: ReportData, al: AllegationInfo) -> str:
    if al.status == "Denied":
        by = _actor_links(data, al.denied_by)
        return "<span class=\"st st-Denied\">denied</span>" + (f" by {by}" if by else "")
    if al.status == "Confirmed":
        by = _actor_links(data, al.confirmed_by)
        return "<span class=\"st st-Confirmed\">confirmed</span>" + (f" by {by}" if by else "")
    return "<span class=\"st st-Unanswered\">unanswered</span>"


def _allegations_section(data: ReportData) -> str:
    out = ["<section id=\"allegations\" aria-labelledby=\"allegations-h\">\n"
           "<h2 id=\"allegations-h\">Allegations</h2>\n"]
    if not data.allegations:
        out.append("<p class=\"none\">No allegations found.</p>\n</section>\n")
        return "".join(out)
    events = {e.iri: e for e in data.events}
    out.append(
        "<table class=\"allegations\">\n<caption>Who alleges what against whom, and how it was answered. "
        "Sources counts the articles reporting the allegation.</caption>\n"
        "<thead><tr><th scope=\"col\">Claim</th><th scope=\"col\">Claimant</th><th scope=\"col\">Accused</th>"
        "<th scope=\"col\">Status</th><th scope=\"col\">Sources</th><th scope=\"col\">Evidence</th></tr></thead>\n"
        "<tbody>\n"
    )
    for al in data.allegations:
        prop = events.get(al.proposition)
        claim = esc(al.claim)
        if al.hedge:
            claim += f" <span class=\"hedge\">({esc(al.hedge)})</span>"
        if prop is not None:
            claim += f" <a class=\"prop\" href=\"#{prop.id}\">the alleged event</a>"
        actors = (*al.claimants, *al.accused, *al.denied_by, *al.confirmed_by)
        out.append(
            f"<tr id=\"{al.id}\" class=\"st-{esc(al.status)}\" data-actors=\"{_actor_ids(data, actors)}\">"
            f"<th scope=\"row\">{claim}</th>"
            f"<td>{_actor_links(data, al.claimants) or '—'}</td>"
            f"<td>{_actor_links(data, al.accused) or '—'}</td>"
            f"<td>{_status_cell(data, al)}</td>"
            f"<td class=\"num\">{len(al.articles)}</td>"
            f"<td>{_evidence_links(data, al.spans)}"
            + (f"<br><span class=\"reply\">reply: {_evidence_links(data, al.reply_spans)}</span>"
               if al.reply_spans else "")
            + "</td></tr>\n"
        )
    out.append("</tbody>\n</table>\n</section>\n")
    return "".join(out)


# ------------------------------------------------------------------ actors
def _actors_section(data: ReportData) -> str:
    actors = sorted(data.actors.values(), key=lambda a: (-a.events, a.label.lower(), a.iri))
    out = ["<section id=\"actors\" aria-labelledby=\"actors-h\">\n<h2 id=\"actors-h\">Actors</h2>\n"]
    if not actors:
        out.append("<p class=\"none\">No actors found.</p>\n</section>\n")
        return "".join(out)
    out.append(
        "<table class=\"actors\">\n<caption>Every actor, by the number of events it takes part in.</caption>\n"
        "<thead><tr><th scope=\"col\">Actor</th><th scope=\"col\">Type</th><th scope=\"col\">Title or role</th>"
        "<th scope=\"col\">Affiliation</th><th scope=\"col\">Wikidata</th><th scope=\"col\">Events</th>"
        "<th scope=\"col\">Articles</th></tr></thead>\n<tbody>\n"
    )
    for a in actors:
        wd = (f"<a href=\"https://www.wikidata.org/wiki/{esc(a.wikidata)}\">{esc(a.wikidata)}</a>"
              if re.match(r"^Q\d+$", a.wikidata) else "")
        button = (f" <button type=\"button\" class=\"fbtn\" data-filter=\"{a.id}\" hidden "
                  f"aria-label=\"Show only what involves {esc(a.label)}\">filter</button>")
        out.append(
            f"<tr id=\"{a.id}\"><th scope=\"row\">{esc(a.label)}{button}</th><td>{esc(a.type.lower())}</td>"
            f"<td>{esc('; '.join(a.titles))}</td><td>{_actor_links(data, a.affiliations)}</td><td>{wd}</td>"
            f"<td class=\"num\">{a.events}</td><td class=\"num\">{len(a.articles)}</td></tr>\n"
        )
    out.append("</tbody>\n</table>\n</section>\n")
    return "".join(out)


# ------------------------------------------------------------------ evidence
def _evidence_section(data: ReportData) -> str:
    by_article: dict[str, list[Span]] = {a.iri: [] for a in data.articles}
    for s in data.spans.values():
        by_article.setdefault(s.article, []).append(s)
    out = ["<section id=\"evidence\" aria-labelledby=\"evidence-h\">\n<h2 id=\"evidence-h\">Evidence</h2>\n"
           "<p>The sentences every item was taken from, article by article.</p>\n"]
    for art in data.articles:
        spans = sorted(by_article.get(art.iri, []), key=lambda s: (s.begin, s.end, s.iri))
        meta = []
        if art.headline:
            meta.append(f"<cite>{esc(art.headline)}</cite>")
        if art.date:
            meta.append(f"published <time datetime=\"{esc(art.date)}\">{esc(art.date)}</time>")
        url = _safe_url(art.url)
        if url:
            meta.append(f"<a class=\"src\" href=\"{esc(url)}\" rel=\"noreferrer noopener\">{esc(url)}</a>")
        out.append(f"<article class=\"art\" id=\"{art.id}\" aria-labelledby=\"{art.id}-h\">"
                   f"<h3 id=\"{art.id}-h\">Article {esc(art.ident)}</h3>"
                   + (f"<p class=\"artmeta\">{' · '.join(meta)}</p>" if meta else ""))
        if not spans:
            out.append("<p class=\"none\">No evidence sentences from this article.</p></article>\n")
            continue
        out.append("<ol class=\"spans\">\n")
        for s in spans:
            cited = ", ".join(f"<a href=\"#{i}\">{esc(label)}</a>" for i, label in s.cited_by)
            out.append(f"<li id=\"{s.id}\"><blockquote>{esc(s.text)}</blockquote>"
                       f"<p class=\"cited\"><span class=\"where\">{esc(art.ident)}, characters "
                       f"{s.begin}–{s.end}</span>" + (f" · supports {cited}" if cited else "") + "</p></li>\n")
        out.append("</ol></article>\n")
    out.append("</section>\n")
    return "".join(out)
