"""Node positions for the concept map, computed at build time so the page opens arranged.

Pure Python on purpose: networkx's layouts need numpy, which the tool does not otherwise depend on.
Deterministic: no randomness, fixed iteration counts, rounded output.
"""

from __future__ import annotations

import math
from collections import defaultdict

FORCE_LIMIT = 160
"""Up to this many nodes, a force-directed layout; above it, topic clusters (linear time)."""
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def layout(
    nodes: list[str], edges: dict[tuple[str, str], float], groups: dict[str, str], sizes: dict[str, float]
) -> dict[str, tuple[float, float]]:
    """Positions in pixels for vis-network: `edges` maps (a, b) to a pull strength, `groups` names
    each node's topic, `sizes` its importance (bigger nodes sit nearer their cluster's centre)."""
    nodes = sorted(nodes)
    if not nodes:
        return {}
    if len(nodes) <= FORCE_LIMIT:
        raw = _force(nodes, edges)
        scale = 70 * math.sqrt(len(nodes))
    else:
        raw = _clusters(nodes, groups, sizes)
        scale = 28.0
    return {name: (round(x * scale, 1), round(y * scale, 1)) for name, (x, y) in raw.items()}


def _sunflower(count: int, radius: float = 1.0) -> list[tuple[float, float]]:
    """Evenly spread points in a disc, the first at the centre: a fixed, seedless starting layout."""
    return [
        (
            radius * math.sqrt((i + 0.5) / count) * math.cos(i * _GOLDEN_ANGLE),
            radius * math.sqrt((i + 0.5) / count) * math.sin(i * _GOLDEN_ANGLE),
        )
        for i in range(count)
    ]


def _force(nodes: list[str], edges: dict[tuple[str, str], float]) -> dict[str, tuple[float, float]]:
    """Fruchterman–Reingold with a little gravity, so separate components stay in view."""
    count = len(nodes)
    if count == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {name: i for i, name in enumerate(nodes)}
    links = [(index[a], index[b], w) for (a, b), w in sorted(edges.items()) if a in index and b in index and a != b]
    pos = [list(p) for p in _sunflower(count)]
    k = 1.5 / math.sqrt(count)
    iterations = max(40, min(150, int(1_000_000 / (count * count + 1))))
    step = 0.1
    for _ in range(iterations):
        disp = [[0.0, 0.0] for _ in range(count)]
        for i in range(count):
            xi, yi = pos[i]
            for j in range(i + 1, count):
                dx, dy = xi - pos[j][0], yi - pos[j][1]
                d2 = max(dx * dx + dy * dy, 1e-9)
                f = k * k / d2
                disp[i][0] += dx * f
                disp[i][1] += dy * f
                disp[j][0] -= dx * f
                disp[j][1] -= dy * f
        for i, j, weight in links:
            dx, dy = pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]
            f = math.sqrt(dx * dx + dy * dy) / k * weight
            disp[i][0] -= dx * f
            disp[i][1] -= dy * f
            disp[j][0] += dx * f
            disp[j][1] += dy * f
        for i in range(count):
            dx, dy = disp[i][0] - pos[i][0] * 0.8, disp[i][1] - pos[i][1] * 0.8
            length = math.sqrt(dx * dx + dy * dy) or 1.0
            move = min(length, step)
            pos[i][0] += dx / length * move
            pos[i][1] += dy / length * move
        step = max(step * 0.975, 0.002)
    return {name: (pos[i][0], pos[i][1]) for name, i in index.items()}


def _clusters(nodes: list[str], groups: dict[str, str], sizes: dict[str, float]) -> dict[str, tuple[float, float]]:
    """Each topic a sunflower disc, the discs on a ring: readable at thousands of nodes, in linear time."""
    members: dict[str, list[str]] = defaultdict(list)
    for name in nodes:
        members[groups.get(name, "")].append(name)
    topics = sorted(members, key=lambda t: (-len(members[t]), t))
    radii = {t: math.sqrt(len(members[t])) for t in topics}
    ring = (
        max(sum(2.4 * r for r in radii.values()) / (2 * math.pi), max(radii.values()) * 1.2) if len(topics) > 1 else 0
    )
    positions, angle = {}, 0.0
    total = sum(2.4 * r for r in radii.values())
    for topic in topics:
        share = 2.4 * radii[topic] / total * 2 * math.pi
        cx, cy = ring * math.cos(angle + share / 2), ring * math.sin(angle + share / 2)
        angle += share
        ordered = sorted(members[topic], key=lambda n: (-sizes.get(n, 0), n))
        for name, (x, y) in zip(ordered, _sunflower(len(ordered), radii[topic])):
            positions[name] = (cx + x, cy + y)
    return positions
