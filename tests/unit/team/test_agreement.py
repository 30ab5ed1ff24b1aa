"""Agreement measures (labelnb.team.agreement) against scikit-learn, statsmodels and krippendorff, the
published worked examples, and hand-computed geometry."""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

import labelnb as lnb
from labelnb.config import LabelConfig
from labelnb.team.agreement import (
    AgreementInputError,
    agreement_frame,
    annotations_from_tasks,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    polygon_iou,
)
from labelnb.team.agreement.geometry import Fans, box_polygon

CONFIG = """
<View>
  <Image name="img" value="$image"/>
  <Text name="txt" value="$text"/>
  <Choices name="quality" toName="img"><Choice value="ok"/><Choice value="blurry"/><Choice value="dark"/></Choices>
  <Choices name="tags" toName="img" choice="multiple"><Choice value="a"/><Choice value="b"/><Choice value="c"/></Choices>
  <Rating name="stars" toName="img" maxRating="5"/>
  <RectangleLabels name="box" toName="img"><Label value="Cat"/><Label value="Dog"/></RectangleLabels>
  <PolygonLabels name="poly" toName="img"><Label value="Cat"/></PolygonLabels>
  <Labels name="ner" toName="txt"><Label value="PER"/><Label value="ORG"/></Labels>
  <TextArea name="note" toName="img"/>
</View>
"""
PEOPLE = ["al", "bo", "cy", "di"]


def choice(value: str, name: str = "quality") -> dict[str, Any]:
    return {"from_name": name, "to_name": "img", "type": "choices", "value": {"choices": [value]}}


def tags(*values: str) -> dict[str, Any]:
    return {"from_name": "tags", "to_name": "img", "type": "choices", "value": {"choices": list(values)}}


def stars(value: int) -> dict[str, Any]:
    return {"from_name": "stars", "to_name": "img", "type": "rating", "value": {"rating": value}}


def box(
    x: float, y: float, w: float, h: float, label: str = "Cat", rotation: float = 0, **extra: Any
) -> dict[str, Any]:
    value = {"x": x, "y": y, "width": w, "height": h, "rotation": rotation, "rectanglelabels": [label]}
    return {"from_name": "box", "to_name": "img", "type": "rectanglelabels", "value": value, **extra}


def span(start: int, end: int, label: str = "PER") -> dict[str, Any]:
    value = {"start": start, "end": end, "labels": [label]}
    return {"from_name": "ner", "to_name": "txt", "type": "labels", "value": value}


def square(x: float, y: float, side: float) -> list[tuple[float, float]]:
    return [(x, y), (x + side, y), (x + side, y + side), (x, y + side)]


def rows(frame: pd.DataFrame, **where: Any) -> pd.DataFrame:
    for column, wanted in where.items():
        frame = frame[frame[column].isna()] if wanted is None else frame[frame[column] == wanted]
    return frame


def value_of(frame: pd.DataFrame, **where: Any) -> float:
    found = rows(frame, **where)
    assert len(found) == 1, found
    return float(found["value"].iloc[0])


def random_answers(
    seed: int, n_tasks: int = 120, labels: tuple[Any, ...] = ("ok", "blurry", "dark")
) -> dict[str, list[Any]]:
    """Each person's answer per task (None: no answer), correlated so that kappa is not near 0."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, len(labels), n_tasks)
    out = {}
    for person in PEOPLE:
        noisy = np.where(rng.random(n_tasks) < 0.6, truth, rng.integers(0, len(labels), n_tasks))
        out[person] = [None if rng.random() < 0.2 else labels[k] for k in noisy]
    return out


def as_annotations(
    answers: dict[str, list[Any]], item: Any
) -> list[tuple[int, str, list[dict[str, Any]] | None]]:
    found = []
    for person, values in answers.items():
        for task, value in enumerate(values):
            found.append((task, person, None if value is None else [item(value)]))
    return found


# -- Cohen's kappa ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_cohen_kappa_per_pair_equals_scikit_learn_with_missing_answers(seed: int) -> None:
    answers = random_answers(seed)
    pairs, overall = agreement_frame(as_annotations(answers, choice), CONFIG, "quality")
    kappas = rows(pairs, measure="cohen_kappa")
    assert len(kappas) == 6
    for row in kappas.itertuples():
        a, b = answers[row.annotator_a], answers[row.annotator_b]
        both = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
        expected = cohen_kappa_score([x for x, _ in both], [y for _, y in both])
        assert row.value == pytest.approx(expected, abs=1e-12)
        assert row.n_tasks == len(both)
        assert cohen_kappa(a, b) == pytest.approx(expected, abs=1e-12)
    assert value_of(overall, measure="cohen_kappa") == pytest.approx(kappas["value"].mean())


def test_cohen_kappa_of_ratings_and_of_one_category_only() -> None:
    answers = random_answers(7, labels=(1, 2, 3, 4, 5))
    pairs, _ = agreement_frame(as_annotations(answers, stars), CONFIG, "stars")
    row = rows(pairs, measure="cohen_kappa", annotator_a="al", annotator_b="cy")
    both = [
        (x, y) for x, y in zip(answers["al"], answers["cy"], strict=True) if x is not None and y is not None
    ]
    assert float(row["value"].iloc[0]) == pytest.approx(cohen_kappa_score(*zip(*both, strict=True)))
    # both always said "ok": chance agreement is certain and kappa undefined, as scikit-learn says
    same = [(t, who, [choice("ok")]) for t in range(5) for who in ("al", "bo")]
    pairs, _ = agreement_frame(same, CONFIG, "quality")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn warns that kappa is undefined
        assert math.isnan(cohen_kappa_score(["ok"] * 5, ["ok"] * 5))
    assert math.isnan(value_of(pairs, measure="cohen_kappa"))


# -- Fleiss' kappa ---------------------------------------------------------------------------------------

#: Fleiss (1971) as Wikipedia's "Fleiss' kappa" page works it: 10 subjects, 14 raters, 5 categories
FLEISS_1971 = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_of_the_worked_example_and_of_random_tables() -> None:
    assert fleiss_kappa(FLEISS_1971) == pytest.approx(0.210, abs=5e-4)
    assert fleiss_kappa(FLEISS_1971) == pytest.approx(statsmodels_fleiss(np.array(FLEISS_1971)))
    rng = np.random.default_rng(3)
    for raters in (2, 3, 7):
        table = rng.multinomial(raters, [0.5, 0.3, 0.2], size=40)
        assert fleiss_kappa(table) == pytest.approx(statsmodels_fleiss(table), abs=1e-12)
    with pytest.raises(ValueError, match="same number of raters"):
        fleiss_kappa([[1, 1], [2, 1]])


def test_fleiss_kappa_of_a_project_uses_the_tasks_with_the_modal_number_of_raters() -> None:
    # the worked example as annotations: subject i rated by 14 people; plus tasks with 2 raters, left out
    categories = ["ok", "blurry", "dark", "a", "b"]
    annotations = []
    for task, counts in enumerate(FLEISS_1971):
        people = iter(range(14))
        for category, count in zip(categories, counts, strict=True):
            annotations += [(task, f"p{next(people)}", [choice(category)]) for _ in range(count)]
    annotations += [(100 + t, f"p{k}", [choice("ok")]) for t in range(3) for k in range(2)]
    _, overall = agreement_frame(annotations, "quality")
    row = rows(overall, measure="fleiss_kappa")
    assert float(row["value"].iloc[0]) == pytest.approx(statsmodels_fleiss(np.array(FLEISS_1971)))
    assert int(row["n_tasks"].iloc[0]) == 10
    assert int(row["n_annotators"].iloc[0]) == 14


# -- Krippendorff's alpha --------------------------------------------------------------------------------

#: Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C: 4 coders x 12 units
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def _nan_matrix(data: list[list[Any]]) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)


def test_krippendorff_alpha_of_the_worked_example() -> None:
    assert krippendorff_alpha(KRIPPENDORFF_2011, "nominal") == pytest.approx(0.743, abs=5e-4)
    matrix = _nan_matrix(KRIPPENDORFF_2011)
    for level in ("nominal", "ordinal", "interval"):
        expected = krippendorff.alpha(matrix, level_of_measurement=level)
        assert krippendorff_alpha(KRIPPENDORFF_2011, level) == pytest.approx(expected, abs=1e-12)
        assert krippendorff_alpha(matrix, level) == pytest.approx(expected, abs=1e-12)
    # the paper's own figures for the other levels
    assert krippendorff_alpha(KRIPPENDORFF_2011, "interval") == pytest.approx(0.849, abs=5e-4)
    assert krippendorff_alpha(KRIPPENDORFF_2011, "ordinal") == pytest.approx(0.815, abs=5e-4)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_krippendorff_alpha_of_a_project_equals_the_krippendorff_package(seed: int) -> None:
    ratings = random_answers(seed, labels=(1, 2, 3, 4, 5))
    _, overall = agreement_frame(as_annotations(ratings, stars), CONFIG, "stars")
    matrix = np.array([[np.nan if v is None else v for v in ratings[p]] for p in PEOPLE], dtype=float)
    for level in ("ordinal", "interval"):
        expected = krippendorff.alpha(matrix, level_of_measurement=level)
        assert value_of(overall, measure=f"alpha_{level}") == pytest.approx(expected, abs=1e-12)
    assert rows(overall, measure="alpha_nominal").empty  # ratings are not nominal

    choices = random_answers(seed)
    _, overall = agreement_frame(as_annotations(choices, choice), CONFIG, "quality")
    codes = {"ok": 0, "blurry": 1, "dark": 2}
    matrix = np.array([[np.nan if v is None else codes[v] for v in choices[p]] for p in PEOPLE], dtype=float)
    expected = krippendorff.alpha(matrix, level_of_measurement="nominal")
    assert value_of(overall, measure="alpha_nominal") == pytest.approx(expected, abs=1e-12)
    pairable = int(((~np.isnan(matrix)).sum(axis=0) >= 2).sum())
    assert int(rows(overall, measure="alpha_nominal")["n_tasks"].iloc[0]) == pairable


def test_multi_choice_is_measured_label_by_label_as_yes_or_no() -> None:
    annotations = [
        (1, "al", [tags("a", "b")]),
        (1, "bo", [tags("a")]),
        (2, "al", [tags("b")]),
        (2, "bo", [tags("b", "c")]),
        (3, "al", [tags("a")]),
        (3, "bo", [tags("c")]),
        (4, "al", [choice("ok")]),  # no answer to tags: missing, not "no label"
        (4, "bo", [tags("a")]),
    ]
    pairs, overall = agreement_frame(annotations, CONFIG, "tags")
    al = {"a": [1, 0, 1], "b": [1, 1, 0], "c": [0, 0, 0]}
    bo = {"a": [1, 0, 0], "b": [0, 1, 0], "c": [0, 1, 1]}
    for label in "abc":
        assert value_of(pairs, label=label, measure="cohen_kappa") == pytest.approx(
            cohen_kappa_score(al[label], bo[label])
        )
        expected = krippendorff.alpha(
            np.array([al[label], bo[label]], dtype=float), level_of_measurement="nominal"
        )
        assert value_of(overall, label=label, measure="alpha_nominal") == pytest.approx(expected)
    assert set(rows(pairs, measure="cohen_kappa")["n_tasks"]) == {3}
    # read without a config, the control is multi-choice because some answers hold several choices
    pairs, _ = agreement_frame(annotations, "tags")
    assert value_of(pairs, label="a", measure="cohen_kappa") == pytest.approx(
        cohen_kappa_score(al["a"], bo["a"])
    )


# -- boxes and polygons ----------------------------------------------------------------------------------


def test_iou_of_known_overlaps() -> None:
    assert polygon_iou(square(0, 0, 2), square(1, 0, 2)) == pytest.approx(1 / 3)  # half-overlapping squares
    assert polygon_iou(square(0, 0, 2), square(0, 0, 2)) == pytest.approx(1)
    assert polygon_iou(square(0, 0, 2), square(3, 3, 2)) == 0
    # a square turned 45 degrees about its centre against the upright one: their intersection is a regular
    # octagon of area 2(sqrt 2 - 1) s^2, so IoU = (sqrt 2 - 1) / (2 - sqrt 2) = 1 / sqrt 2. Label Studio
    # turns a box about its top-left corner: that corner goes where the centre stays at (50, 50)
    turned = box_polygon(50, 50 - 20 / math.sqrt(2), 20, 20, 45)
    assert polygon_iou(turned, square(40, 40, 20)) == pytest.approx(1 / math.sqrt(2))
    # a concave L (area 5) and a square (area 4) sharing 1 + 0.75
    ell = [(0, 0), (3, 0), (3, 1), (1, 1), (1, 3), (0, 3)]
    assert polygon_iou(ell, square(0.5, 0.5, 2)) == pytest.approx(1.75 / (5 + 4 - 1.75))
    assert polygon_iou(ell[::-1], ell) == pytest.approx(1)  # the turn of the vertices does not matter


def test_the_batched_polygon_iou_equals_the_one_pair_clipping() -> None:
    # random star-shaped outlines (concave ones among them), either turn, plus degenerate ones
    rng = np.random.default_rng(11)
    outlines: list[list[tuple[float, float]]] = []
    for _ in range(300):
        n, centre = int(rng.integers(3, 10)), rng.uniform(20, 80, 2)
        angles, radii = np.sort(rng.uniform(0, 2 * np.pi, n)), rng.uniform(3, 12, n)
        points = [
            (float(centre[0] + r * np.cos(a)), float(centre[1] + r * np.sin(a)))
            for a, r in zip(angles, radii, strict=True)
        ]
        outlines.append(points if rng.random() < 0.5 else points[::-1])
    outlines += [
        [(0.0, 0.0), (1.0, 0.0)],
        [],
        box_polygon(30, 30, 20, 10, 30, aspect=1.5),
        square(40, 40, 15),
    ]
    i, j = rng.integers(0, len(outlines), 4000), rng.integers(0, len(outlines), 4000)
    found = Fans(outlines).iou(i, j)
    expected = np.array([polygon_iou(outlines[a], outlines[b]) for a, b in zip(i, j, strict=True)])
    assert (expected > 0).sum() > 300
    np.testing.assert_allclose(found, expected, atol=1e-12)


def test_rotated_boxes_turn_in_pixels_as_label_studio_draws_them() -> None:
    # 90 degrees clockwise about the top-left corner on a 200x100 image: the box (20 x 10 px at 100, 50)
    # covers x 90..100 px, y 50..70 px, i.e. the upright box at x=45 %, y=50 %, 5 % wide, 20 % high
    size = {"original_width": 200, "original_height": 100}
    annotations = [
        (1, "al", [box(50, 50, 10, 10, rotation=90, **size)]),
        (1, "bo", [box(45, 50, 5, 20, **size)]),
    ]
    pairs, _ = agreement_frame(annotations, CONFIG, "box")
    assert value_of(pairs, measure="mean_iou") == pytest.approx(1)
    assert value_of(pairs, measure="f1") == 1


def test_box_f1_of_a_hand_made_pair() -> None:
    annotations = [
        # al: three boxes; bo: one matching al's first (IoU 0.81), one over al's second with the wrong label
        (1, "al", [box(0, 0, 10, 10), box(50, 50, 10, 10), box(80, 80, 5, 5)]),
        (1, "bo", [box(1, 1, 9, 9), box(50, 50, 10, 10, label="Dog")]),
        # task 2: a pair of boxes sharing one third (below the threshold), and one more box of bo
        (2, "al", [box(0, 0, 20, 20)]),
        (2, "bo", [box(10, 0, 20, 20), box(60, 60, 10, 10, label="Dog")]),
        (3, "al", [choice("ok")]),  # no box on task 3 from al: missing for the box control
        (3, "bo", [box(0, 0, 5, 5)]),
    ]
    pairs, overall = agreement_frame(annotations, CONFIG, "box")
    assert value_of(pairs, measure="precision") == pytest.approx(1 / 4)  # 1 of bo's 4 boxes matched
    assert value_of(pairs, measure="recall") == pytest.approx(1 / 4)  # 1 of al's 4
    assert value_of(pairs, measure="f1") == pytest.approx(2 * 1 / (4 + 4))
    assert value_of(pairs, measure="mean_iou") == pytest.approx(81 / 100)
    assert int(rows(pairs, measure="f1")["n_tasks"].iloc[0]) == 2
    # with absent="empty" task 3 counts: al found none of bo's box there
    pairs, _ = agreement_frame(annotations, CONFIG, "box", absent="empty")
    assert value_of(pairs, measure="precision") == pytest.approx(1 / 5)
    assert value_of(pairs, measure="recall") == pytest.approx(1 / 4)
    # a lower threshold matches task 2's boxes too
    pairs, overall = agreement_frame(annotations, CONFIG, "box", iou_threshold=0.3)
    assert value_of(pairs, measure="recall") == pytest.approx(2 / 4)
    assert value_of(overall, measure="f1") == pytest.approx(2 * 2 / 8)


def test_matching_is_one_to_one_best_first_and_pooled_over_pairs() -> None:
    one = box(0, 0, 10, 10)
    annotations = [
        (1, "al", [one]),
        (1, "bo", [box(0, 0, 10, 10), box(0, 0, 10, 9)]),  # both overlap al's box; only the best matches
        (1, "cy", [box(0, 0, 10, 9)]),
    ]
    pairs, overall = agreement_frame(annotations, CONFIG, "box", measure=["precision", "recall", "mean_iou"])
    assert value_of(pairs, annotator_a="al", annotator_b="bo", measure="precision") == pytest.approx(1 / 2)
    assert value_of(pairs, annotator_a="al", annotator_b="bo", measure="mean_iou") == pytest.approx(1)
    assert value_of(pairs, annotator_a="al", annotator_b="cy", measure="recall") == 1
    assert value_of(pairs, annotator_a="bo", annotator_b="cy", measure="recall") == pytest.approx(1 / 2)
    assert set(pairs["measure"]) == {"precision", "recall", "mean_iou"}
    # pooled: matches 1 + 1 + 1 over the second annotators' 2 + 1 + 1 boxes
    assert value_of(overall, measure="precision") == pytest.approx(3 / 4)
    assert int(rows(overall, measure="precision")["n_tasks"].iloc[0]) == 1


def test_polygons_match_by_their_exact_iou() -> None:
    def polygon(points: list[tuple[float, float]]) -> dict[str, Any]:
        value = {"points": [list(p) for p in points], "closed": True, "polygonlabels": ["Cat"]}
        return {"from_name": "poly", "to_name": "img", "type": "polygonlabels", "value": value}

    ell = [(0, 0), (30, 0), (30, 10), (10, 10), (10, 30), (0, 30)]
    annotations = [(1, "al", [polygon(ell)]), (1, "bo", [polygon([(x + 1, y) for x, y in ell])])]
    pairs, _ = agreement_frame(annotations, CONFIG, "poly")
    shifted = [(x + 1, y) for x, y in ell]
    assert value_of(pairs, measure="mean_iou") == pytest.approx(polygon_iou(ell, shifted))
    # an L shifted one unit right shares 500 - 10 - 30 + 10 (the inner corner) of its 500
    assert polygon_iou(ell, shifted) == pytest.approx(470 / 530)


# -- text spans ------------------------------------------------------------------------------------------


def test_span_f1_exact_and_partial() -> None:
    annotations = [
        (1, "al", [span(0, 5), span(10, 15), span(20, 25, "ORG")]),
        (1, "bo", [span(0, 5), span(11, 15), span(20, 25, "PER")]),
        (2, "al", [span(0, 3)]),
        (2, "bo", [span(3, 6)]),  # touching, not overlapping: no match even in the partial variant
    ]
    pairs, overall = agreement_frame(annotations, CONFIG, "ner")
    assert value_of(pairs, measure="f1_exact") == pytest.approx(2 * 1 / 8)
    assert value_of(pairs, measure="precision_exact") == pytest.approx(1 / 4)
    assert value_of(pairs, measure="f1_partial") == pytest.approx(2 * 2 / 8)  # (10, 15) ~ (11, 15) too
    assert value_of(pairs, measure="recall_partial") == pytest.approx(2 / 4)
    assert value_of(overall, measure="f1_partial") == pytest.approx(2 * 2 / 8)
    assert int(rows(overall, measure="f1_exact")["n_tasks"].iloc[0]) == 2


def test_partial_spans_match_one_to_one_largest_overlap_first() -> None:
    annotations = [(1, "al", [span(0, 10)]), (1, "bo", [span(0, 2), span(1, 10)])]
    pairs, _ = agreement_frame(annotations, CONFIG, "ner", measure=["precision_partial", "recall_partial"])
    assert value_of(pairs, measure="precision_partial") == pytest.approx(1 / 2)
    assert value_of(pairs, measure="recall_partial") == 1


def test_hypertext_spans_compare_global_offsets() -> None:
    config = (
        '<View><HyperText name="html" value="$html"/>'
        '<HyperTextLabels name="ner" toName="html"><Label value="PER"/></HyperTextLabels></View>'
    )

    def item(start: int, end: int, xpath: str) -> dict[str, Any]:
        value = {"start": xpath, "end": xpath, "startOffset": 0, "endOffset": 4,
                 "globalOffsets": {"start": start, "end": end}, "hypertextlabels": ["PER"]}  # fmt: skip
        return {"from_name": "ner", "to_name": "html", "type": "hypertextlabels", "value": value}

    annotations = [
        (1, "al", [item(5, 9, "/p[1]/text()[1]")]),
        (1, "bo", [item(5, 9, "/div[1]/p[1]/text()[1]")]),
    ]
    pairs, _ = agreement_frame(annotations, config)
    assert value_of(pairs, measure="f1_exact") == 1


# -- the whole project -----------------------------------------------------------------------------------


def test_every_measurable_control_of_the_config_is_measured() -> None:
    annotations = [
        (1, "al", [choice("ok"), stars(4), box(0, 0, 10, 10), span(0, 4), tags("a"),
                   {"from_name": "note", "to_name": "img", "type": "textarea", "value": {"text": ["x"]}}]),
        (1, "bo", [choice("ok"), stars(5), box(0, 0, 10, 10), span(0, 4), tags("a", "b")]),
    ]  # fmt: skip
    pairs, overall = agreement_frame(annotations, LabelConfig.from_xml(CONFIG))
    assert list(pairs.columns) == [
        "control",
        "label",
        "annotator_a",
        "annotator_b",
        "measure",
        "value",
        "n_tasks",
    ]
    assert list(overall.columns) == ["control", "label", "measure", "value", "n_tasks", "n_annotators"]
    assert set(pairs["control"]) == {"quality", "tags", "stars", "box", "ner"}  # not the TextArea
    assert set(overall["control"]) == set(pairs["control"])  # nor the polygons nobody drew
    assert set(rows(pairs, control="tags")["label"]) == {"a", "b", "c"}
    assert value_of(pairs, control="box", measure="f1") == 1
    assert set(rows(overall, control="stars")["measure"]) == {
        "cohen_kappa",
        "fleiss_kappa",
        "alpha_ordinal",
        "alpha_interval",
    }


def test_project_agreement_reads_the_store_and_equals_the_pure_function(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path / "p", CONFIG)
    project.import_tasks([{"image": f"{k}.jpg", "text": "Ada Lovelace wrote"} for k in range(6)])
    rng = np.random.default_rng(5)
    for task in range(1, 7):
        for person in PEOPLE[:3]:
            if rng.random() < 0.2:
                project.skip(task, user=person)  # skipped: no answer
                continue
            result = [
                choice(["ok", "blurry", "dark"][int(rng.integers(0, 3))]),
                stars(int(rng.integers(1, 6))),
                box(float(rng.integers(0, 5)), 10, 30, 30, label=["Cat", "Dog"][int(rng.integers(0, 2))]),
                span(0, int(rng.integers(3, 5))),
            ]
            project.submit(task, result, user=person)
    pairs, overall = project.agreement()
    tasks = project.store.iter_export_tasks(expand_users=True)
    expected_pairs, expected_overall = agreement_frame(annotations_from_tasks(tasks), project.config)
    pd.testing.assert_frame_equal(pairs, expected_pairs)
    pd.testing.assert_frame_equal(overall, expected_overall)
    assert set(pairs["annotator_a"]) | set(pairs["annotator_b"]) == set(PEOPLE[:3])
    only, _ = project.agreement("quality", "cohen_kappa")
    pd.testing.assert_frame_equal(
        only.reset_index(drop=True),
        rows(pairs, control="quality", measure="cohen_kappa").reset_index(drop=True),
    )


def test_cancelled_annotations_and_empty_results_are_no_answers() -> None:
    tasks = [
        {"id": 1, "annotations": [
            {"completed_by": {"id": 1, "email": "al@x"}, "result": [choice("ok")]},
            {"completed_by": {"id": 2, "email": "bo@x"}, "result": [choice("dark")], "was_cancelled": True},
            {"completed_by": 3, "result": []},
        ]},
        {"id": 2, "annotations": [
            {"completed_by": {"id": 1, "email": "al@x"}, "result": [choice("ok")]},
            {"completed_by": {"id": 2, "email": "bo@x"}, "result": [choice("ok")]},
        ]},
    ]  # fmt: skip
    read = [(task, who) for task, who, _ in annotations_from_tasks(tasks)]
    assert read == [(1, "al@x"), (1, 3), (2, "al@x"), (2, "bo@x")]  # the cancelled one is not read
    pairs, _ = agreement_frame(annotations_from_tasks(tasks), CONFIG, "quality")
    assert len(pairs) == 1
    assert int(pairs["n_tasks"].iloc[0]) == 1


def test_the_last_annotation_of_a_task_by_one_annotator_counts() -> None:
    annotations = [
        (1, "al", [box(50, 50, 10, 10), stars(2)]),
        (1, "bo", [box(0, 0, 10, 10), stars(4)]),
        (1, "al", [box(0, 0, 10, 10), box(0, 0, 10, 10, label="Dog")]),  # al again: no rating this time
        (2, "al", [box(0, 0, 10, 10), stars(4)]),
        (2, "bo", [box(0, 0, 10, 10), stars(4)]),
        (2, "bo", []),  # an empty result is no answer: bo's first one still counts
    ]
    pairs, _ = agreement_frame(annotations, CONFIG, ["box", "stars"])
    assert value_of(pairs, measure="precision") == 1
    assert value_of(pairs, measure="recall") == pytest.approx(2 / 3)
    assert int(rows(pairs, measure="cohen_kappa")["n_tasks"].iloc[0]) == 1  # task 1 has no rating of al's now


# -- bad input -------------------------------------------------------------------------------------------


def test_bad_input_names_the_task_annotator_and_field() -> None:
    with pytest.raises(
        AgreementInputError,
        match=r"task 7, annotator 'al', result\[0\]\.value\.x: x must be a finite number, not nan",
    ):
        agreement_frame([(7, "al", [box(float("nan"), 0, 1, 1)])], CONFIG)
    polygon = {
        "from_name": "poly",
        "to_name": "img",
        "type": "polygonlabels",
        "value": {"points": [[0, 0], [1, None], [1, 1]]},
    }
    with pytest.raises(ValueError, match=r"task 2, annotator 'bo', result\[1\]\.value\.points\[1\]\.y"):
        agreement_frame([(2, "bo", [choice("ok"), polygon])], CONFIG)
    with pytest.raises(ValueError, match=r"control 'nope' is not in the config; its controls: quality, tags"):
        agreement_frame([], CONFIG, "nope")
    with pytest.raises(
        ValueError,
        match=r"task 3, annotator 'cy', result\[0\]\.type: control 'quality' gives choices results, not 'rating'",
    ):
        agreement_frame([(3, "cy", [{**stars(3), "from_name": "quality"}])], CONFIG)
    with pytest.raises(
        ValueError,
        match=r"task 3, annotator 'cy', result\[0\]\.value\.rating: rating must be a finite number, not 'five'",
    ):
        agreement_frame([(3, "cy", [{**stars(3), "value": {"rating": "five"}}])], CONFIG)
    with pytest.raises(ValueError, match=r"task 4, annotator 'di', result: result must be a list"):
        agreement_frame([(4, "di", {"result": []})], CONFIG)  # type: ignore[list-item]
    with pytest.raises(
        ValueError,
        match=r"task 5, annotator 'al', result\[0\]\.value\.choices: single-choice control 'quality' has 2 choices",
    ):
        agreement_frame([(5, "al", [{**choice("ok"), "value": {"choices": ["ok", "dark"]}}])], CONFIG)
    with pytest.raises(
        ValueError,
        match=r"task 6, annotator 'al', result\[0\]\.value\.end: the span ends \(2\) before it starts \(5\)",
    ):
        agreement_frame([(6, "al", [span(5, 2)])], CONFIG)
    with pytest.raises(ValueError, match=r"agreement is not measured for control 'note' \(<TextArea>\)"):
        agreement_frame([], CONFIG, "note")
    with pytest.raises(ValueError, match=r"unknown measure 'kappa'"):
        agreement_frame([], CONFIG, measure="kappa")
    with pytest.raises(ValueError, match=r"iou_threshold must be in \(0, 1\]"):
        agreement_frame([], CONFIG, iou_threshold=0)
    with pytest.raises(
        ValueError,
        match=r"task 1, annotator 'al', result\[0\]\.type: control 'note' gives 'textarea' results",
    ):
        agreement_frame(
            [
                (
                    1,
                    "al",
                    [{"from_name": "note", "to_name": "img", "type": "textarea", "value": {"text": ["x"]}}],
                )
            ],
            "note",
        )
