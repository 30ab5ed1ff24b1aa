"""Areas and overlaps of boxes and polygons, for matching regions by IoU (no shapely needed).

* Axis-aligned boxes: :func:`box_iou_arrays`, vectorised over many pairs at once.
* Convex polygons (rotated boxes among them): Sutherland-Hodgman clipping of one by the other, exact.
* Any simple polygon, concave too: exact, by signed fan triangulation. A polygon ``p0 p1 ... pn`` is the
  signed sum of its fan triangles ``(p0, pi, pi+1)``: at almost every point, the number of triangles
  covering it, counted +1 or -1 by each triangle's orientation, is the polygon's winding number there
  (1 inside a simple polygon, 0 outside, after orienting it counter-clockwise). So the area of ``P & Q``
  is the sum over triangle pairs of ``sign(T) * sign(U) * area(T & U)``, each term a convex clip. For a
  self-intersecting polygon the result weighs each piece by its winding number (a figure eight's two
  lobes cancel or add by their direction), which is not the even-odd fill a browser draws; such polygons
  are not valid Label Studio regions, and this is the documented answer for them.

The one-pair functions (:func:`polygon_iou`, :func:`intersection_area`) are the reference; agreement over
a project uses :class:`Fans`, the same fan method on many pairs at once, with every triangle pair clipped
in one numpy pass (:func:`clip_triangles`); the tests hold the two to the same numbers.

Coordinates may be Label Studio's percentages: IoU does not change under scaling the two axes (areas all
scale by the same factor), so percent and pixel coordinates give the same IoU. Rotation does not commute
with unequal scaling, so rotated boxes are turned in pixel space (see :func:`box_polygon`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from labelnb.formats.image_export import box_corners

Point = tuple[float, float]
Polygon = Sequence[Point]
FloatArray = npt.NDArray[np.float64]


def signed_area(polygon: Polygon) -> float:
    """The shoelace area: positive for counter-clockwise vertices in a y-up frame (clockwise on a screen,
    where y grows downwards), negative for the other turn."""
    total = 0.0
    n = len(polygon)
    for i in range(n):
        x0, y0 = polygon[i]
        x1, y1 = polygon[(i + 1) % n]
        total += x0 * y1 - x1 * y0
    return total / 2


def is_convex(polygon: Polygon) -> bool:
    """True when every turn goes the same way (collinear vertices allowed) and the boundary turns once."""
    n = len(polygon)
    if n < 4:
        return True
    sign = 0.0
    for i in range(n):
        ax, ay = polygon[i]
        bx, by = polygon[(i + 1) % n]
        cx, cy = polygon[(i + 2) % n]
        cross = (bx - ax) * (cy - by) - (by - ay) * (cx - bx)
        if cross != 0:
            if sign and (cross > 0) != (sign > 0):
                return False
            sign = cross
    # all turns agree; a star polygon still turns more than once around, which the angle sum shows
    turning = 0.0
    for i in range(n):
        ax, ay = polygon[i]
        bx, by = polygon[(i + 1) % n]
        cx, cy = polygon[(i + 2) % n]
        turning += math.atan2(
            (bx - ax) * (cy - by) - (by - ay) * (cx - bx), (bx - ax) * (cx - bx) + (by - ay) * (cy - by)
        )
    return abs(turning) < 2 * math.pi + 1e-6


def _counter_clockwise(polygon: Polygon) -> list[Point]:
    points = list(polygon)
    return points if signed_area(points) >= 0 else points[::-1]


def clip_convex(subject: Polygon, clip: Polygon) -> list[Point]:
    """Sutherland-Hodgman: the part of convex ``subject`` inside convex ``clip``, both counter-clockwise."""
    output = list(subject)
    n = len(clip)
    for i in range(n):
        if not output:
            break
        ex0, ey0 = clip[i]
        ex1, ey1 = clip[(i + 1) % n]
        dx, dy = ex1 - ex0, ey1 - ey0
        points, output = output, []
        previous = points[-1]
        prev_side = dx * (previous[1] - ey0) - dy * (previous[0] - ex0)
        for point in points:
            side = dx * (point[1] - ey0) - dy * (point[0] - ex0)
            if side >= 0:
                if prev_side < 0:
                    output.append(_crossing(previous, point, prev_side, side))
                output.append(point)
            elif prev_side >= 0:
                output.append(_crossing(previous, point, prev_side, side))
            previous, prev_side = point, side
    return output


def _crossing(a: Point, b: Point, side_a: float, side_b: float) -> Point:
    t = side_a / (side_a - side_b)
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))


def convex_intersection_area(p: Polygon, q: Polygon) -> float:
    """The area shared by two convex polygons (any orientation)."""
    inside = clip_convex(_counter_clockwise(p), _counter_clockwise(q))
    return abs(signed_area(inside)) if len(inside) >= 3 else 0.0


def _fan(polygon: Polygon) -> list[tuple[float, list[Point], tuple[float, float, float, float]]]:
    """The fan triangles of a polygon: (orientation sign, counter-clockwise triangle, bounding box)."""
    p0 = polygon[0]
    triangles = []
    for i in range(1, len(polygon) - 1):
        triangle = [p0, polygon[i], polygon[i + 1]]
        area = signed_area(triangle)
        if area == 0:
            continue
        xs, ys = [pt[0] for pt in triangle], [pt[1] for pt in triangle]
        box = (min(xs), min(ys), max(xs), max(ys))
        triangles.append((1.0 if area > 0 else -1.0, triangle if area > 0 else triangle[::-1], box))
    return triangles


def intersection_area(p: Polygon, q: Polygon) -> float:
    """The area shared by two simple polygons, convex or not (exact; see the module's docstring)."""
    if len(p) < 3 or len(q) < 3:
        return 0.0
    if is_convex(p) and is_convex(q):
        return convex_intersection_area(p, q)
    orientation = (1.0 if signed_area(p) >= 0 else -1.0) * (1.0 if signed_area(q) >= 0 else -1.0)
    total = 0.0
    fan_q = _fan(q)
    for sign_t, triangle, (ax0, ay0, ax1, ay1) in _fan(p):
        for sign_u, other, (bx0, by0, bx1, by1) in fan_q:
            if ax0 >= bx1 or bx0 >= ax1 or ay0 >= by1 or by0 >= ay1:
                continue
            inside = clip_convex(triangle, other)
            if len(inside) >= 3:
                total += sign_t * sign_u * signed_area(inside)
    return max(orientation * total, 0.0)


def polygon_iou(p: Polygon, q: Polygon) -> float:
    """Intersection over union of two simple polygons; 0 when either has no area."""
    area_p, area_q = abs(signed_area(p)), abs(signed_area(q))
    if area_p == 0 or area_q == 0:
        return 0.0
    shared = intersection_area(p, q)
    union = area_p + area_q - shared
    return shared / union if union > 0 else 0.0


def box_polygon(
    x: float, y: float, width: float, height: float, rotation: float, aspect: float = 1.0
) -> list[Point]:
    """A Label Studio box (percent; ``rotation`` degrees clockwise about its top-left corner) as its four
    corners in percent.

    Label Studio turns a box in pixels, so the corners are computed on an image ``aspect`` (its width over
    its height, from ``original_width``/``original_height``) times as wide as high, then scaled back to
    percent. Without the image size the image is taken as square.
    """
    corners = box_corners(x * aspect, y, width * aspect, height, rotation)
    return [(cx / aspect, cy) for cx, cy in corners]


def box_iou_arrays(a: FloatArray, b: FloatArray) -> FloatArray:
    """IoU of axis-aligned boxes, row by row: ``a`` and ``b`` are ``(n, 4)`` arrays of x0, y0, x1, y1."""
    width = np.minimum(a[:, 2], b[:, 2]) - np.maximum(a[:, 0], b[:, 0])
    height = np.minimum(a[:, 3], b[:, 3]) - np.maximum(a[:, 1], b[:, 1])
    shared = np.clip(width, 0, None) * np.clip(height, 0, None)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a + area_b - shared
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(union > 0, shared / union, 0.0)


# -- many pairs at once -----------------------------------------------------------------------------------

#: triangle pairs clipped per numpy batch (bounds the memory: about 200 bytes each)
_BATCH = 262_144


class Fans:
    """The signed fan triangles of many outlines (see the module's docstring), as arrays.

    ``triangles`` is ``(T, 3, 2)``, each counter-clockwise; ``signs`` says how each counts (+1 or -1);
    outline ``k`` owns the triangles ``start[k] : start[k] + count[k]``; ``area`` is each outline's
    area and ``turn`` the sign of its orientation.
    """

    def __init__(self, outlines: Sequence[Polygon]) -> None:
        triangles: list[tuple[Point, Point, Point]] = []
        count = np.zeros(len(outlines), dtype=np.int64)
        for k, outline in enumerate(outlines):
            first = outline[0] if len(outline) else (0.0, 0.0)
            for m in range(1, len(outline) - 1):
                triangles.append((first, outline[m], outline[m + 1]))
            count[k] = max(len(outline) - 2, 0)
        corners = np.asarray(triangles, dtype=np.float64).reshape(-1, 3, 2)
        signed = _triangle_areas(corners)
        flip = signed < 0
        corners[flip] = corners[flip][:, ::-1]  # every triangle counter-clockwise; its sign remembers
        self.triangles = corners
        self.signs = np.where(signed > 0, 1.0, np.where(signed < 0, -1.0, 0.0))
        self.count = count
        self.start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
        owner = np.repeat(np.arange(len(outlines)), count)
        total = np.bincount(owner, weights=signed, minlength=len(outlines))
        self.area = np.abs(total)
        self.turn = np.where(total >= 0, 1.0, -1.0)
        self.low = corners.min(axis=1)  # (T, 2) bounding boxes of the triangles
        self.high = corners.max(axis=1)

    def iou(self, i: npt.NDArray[np.int64], j: npt.NDArray[np.int64]) -> FloatArray:
        """IoU of outline ``i[k]`` with outline ``j[k]``, for every k (exact; see :func:`intersection_area`)."""
        shared = np.zeros(i.size, dtype=np.float64)
        per_pair = self.count[i] * self.count[j]
        block_start = 0
        while block_start < i.size:
            # as many candidates as fit one batch of triangle pairs (at least one)
            cumulative = np.cumsum(per_pair[block_start:])
            block_end = block_start + max(1, int(np.searchsorted(cumulative, _BATCH, side="right")))
            self._shared_area(i, j, per_pair, block_start, min(block_end, i.size), shared)
            block_start = block_end
        union = self.area[i] + self.area[j] - shared
        with np.errstate(divide="ignore", invalid="ignore"):
            found = np.where((union > 0) & (self.area[i] > 0) & (self.area[j] > 0), shared / union, 0.0)
        return np.clip(found, 0.0, 1.0)

    def _shared_area(
        self,
        i: npt.NDArray[np.int64],
        j: npt.NDArray[np.int64],
        per_pair: npt.NDArray[np.int64],
        begin: int,
        end: int,
        out: FloatArray,
    ) -> None:
        """Fill ``out[begin:end]`` with the areas outlines i and j share (every triangle of one against
        every triangle of the other, signed)."""
        sizes = per_pair[begin:end]
        candidate = np.repeat(np.arange(begin, end), sizes)
        within = np.arange(candidate.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        n_j = self.count[j[candidate]]
        ta = self.start[i[candidate]] + within // np.maximum(n_j, 1)
        tb = self.start[j[candidate]] + within % np.maximum(n_j, 1)
        overlap = np.all(self.low[ta] < self.high[tb], axis=1) & np.all(self.low[tb] < self.high[ta], axis=1)
        candidate, ta, tb = candidate[overlap], ta[overlap], tb[overlap]
        areas = clip_triangles(self.triangles[ta], self.triangles[tb]) * self.signs[ta] * self.signs[tb]
        summed = np.bincount(candidate - begin, weights=areas, minlength=end - begin)
        out[begin:end] = np.clip(summed * self.turn[i[begin:end]] * self.turn[j[begin:end]], 0.0, None)


def _triangle_areas(corners: FloatArray) -> FloatArray:
    """Signed areas of ``(T, 3, 2)`` triangles (the shoelace sign convention of :func:`signed_area`)."""
    a, b, c = corners[:, 0], corners[:, 1], corners[:, 2]
    cross = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    return np.asarray(cross / 2, dtype=np.float64)


def clip_triangles(subject: FloatArray, clip: FloatArray) -> FloatArray:
    """The area shared by ``subject[k]`` and ``clip[k]``, two ``(N, 3, 2)`` arrays of counter-clockwise
    triangles: Sutherland-Hodgman on all N pairs at once.

    The clipped polygon is kept padded, ``(N, M, 2)`` with a vertex count per row; each of the three
    half-planes adds at most one vertex (3, 4, 5, 6). A vertex emits the crossing of the edge arriving
    at it (when the edge crosses the clip line) and then itself (when inside), so the new vertices' places
    are a running sum of what each emits.
    """
    n = subject.shape[0]
    poly = subject.copy()
    count = np.full(n, 3, dtype=np.int64)
    rows = np.arange(n)[:, None]
    for edge in range(3):
        origin = clip[:, edge][:, None, :]
        direction = (clip[:, (edge + 1) % 3] - clip[:, edge])[:, None, :]
        width = poly.shape[1]
        slots = np.arange(width)[None, :]
        valid = slots < count[:, None]
        previous_slot = (slots - 1) % np.maximum(count, 1)[:, None]
        previous = poly[rows, previous_slot]
        offset = poly - origin
        side = direction[..., 0] * offset[..., 1] - direction[..., 1] * offset[..., 0]
        previous_side = side[rows, previous_slot]
        inside = (side >= 0) & valid
        crossing = ((side >= 0) != (previous_side >= 0)) & valid
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(crossing, previous_side / (previous_side - side), 0.0)
        cut = previous + t[..., None] * (poly - previous)
        emitted = crossing.astype(np.int64) + inside
        place = np.cumsum(emitted, axis=1) - emitted
        grown = np.zeros((n, width + 1, 2), dtype=np.float64)
        r_cut, s_cut = np.nonzero(crossing)
        grown[r_cut, place[r_cut, s_cut]] = cut[r_cut, s_cut]
        r_in, s_in = np.nonzero(inside)
        grown[r_in, place[r_in, s_in] + crossing[r_in, s_in]] = poly[r_in, s_in]
        poly, count = grown, emitted.sum(axis=1)
    slots = np.arange(poly.shape[1])[None, :]
    following = poly[rows, (slots + 1) % np.maximum(count, 1)[:, None]]
    terms = poly[..., 0] * following[..., 1] - following[..., 0] * poly[..., 1]
    area = np.where(slots < count[:, None], terms, 0.0).sum(axis=1) / 2
    return np.where(count >= 3, np.abs(area), 0.0)
