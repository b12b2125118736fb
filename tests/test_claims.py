"""Tests for quantitative-claim extraction (assets/metrics/claims.py) and the metric SQL files."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from assets.metrics.claims import DIRECTIONS, KINDS, UNITS, claims_in_text, extract_claims
from assets.core.sql import load_sql


def vals(text: str) -> list[tuple]:
    return [(c.value, c.unit) for c in claims_in_text(text)]


def vals_dir(text: str) -> list[tuple]:
    return [(c.value, c.unit, c.direction) for c in claims_in_text(text)]


def one(text: str):
    cs = claims_in_text(text)
    assert len(cs) == 1, cs
    return cs[0]


# ----------------------------------------------------------------------------- include rules
def test_percent_up_to_speed_increase():
    c = one("Our method offers up to a 19% acceleration over the baseline.")
    assert (c.value, c.unit, c.kind, c.direction) == (19.0, "percent", "speed", "increase")


def test_latex_escaped_percent():
    assert vals(r"We reduce model size by 43.1\% with no loss.") == [(43.1, "percent")]


def test_slash_list_two_claims():
    cs = claims_in_text("Our model runs 5.8x/3.7x faster on the GPU/CPU.")
    assert [(c.value, c.unit, c.kind, c.direction) for c in cs] == [
        (5.8, "x", "speed", "increase"), (3.7, "x", "speed", "increase")]


def test_range_times_one_claim():
    c = one("Our network has 2 to 25 times fewer parameters than VGG.")
    assert (c.value, c.low, c.unit, c.direction) == (25.0, 2.0, "x", "decrease")


def test_hyphen_range_and_list_of_ranges():
    cs = claims_in_text("We obtain a 4-5x and 20-25x increase in inference speed.")
    assert [(c.low, c.value, c.unit, c.kind) for c in cs] == [(4.0, 5.0, "x", "speed"), (20.0, 25.0, "x", "speed")]


def test_percent_list_three_claims():
    cs = claims_in_text("Our method outperforms X by 5%, 2%, and 4% in accuracy.")
    assert [(c.value, c.kind) for c in cs] == [(5.0, "accuracy"), (2.0, "accuracy"), (4.0, "accuracy")]
    assert [c.text[:2] for c in cs] == ["5%", "2%", "4%"]  # each span starts at its own number


def test_bare_number_inherits_unit_in_list():
    assert vals("Our bandwidth scaled at 1.6 and 1.4 times, respectively.") == [(1.6, "x"), (1.4, "x")]


def test_order_of_magnitude():
    assert vals("We reduce the search cost by an order of magnitude.") == [(10.0, "x")]
    assert vals("We are faster by orders of magnitude.") == [(100.0, "x")]


def test_number_words_tokens():
    c = one("We extend the context length to two million tokens.")
    assert (c.value, c.unit, c.unit_scale, c.kind) == (2_000_000.0, "tokens", "", "scale")


def test_vague_magnitude_parameters():
    assert vals("We scale the model to tens of billions of parameters.") == [(1e10, "parameters")]


def test_half_is_fifty_percent():
    c = one("We cut the training time by half.")
    assert (c.value, c.unit, c.direction) == (50.0, "percent", "decrease")


def test_twice_and_doubling():
    assert vals("Our method runs models up to twice the size of DRAM.") == [(2.0, "x")]
    assert vals("It enables doubling the batch size.") == [(2.0, "x")]


def test_suffix_tokens_and_parameters_keep_scale():
    cs = claims_in_text("We train a 1.5B model that handles 65k tokens.")
    assert [(c.value, c.unit, c.unit_scale) for c in cs] == [(1.5, "parameters", "B"), (65.0, "tokens", "K")]


def test_bytes_keep_scale_and_from_to_is_one_claim():
    c = one("We reduce peak memory from 42GB to 11GB.")
    assert (c.value, c.low, c.unit, c.unit_scale, c.kind, c.direction) == (42.0, 11.0, "bytes", "GB", "memory", "decrease")


def test_time_converted_to_seconds():
    assert vals("Our model is trained in just 16 hours.") == [(57600.0, "seconds")]
    assert vals("Our index answers queries in around one millisecond.") == [(0.001, "seconds")]


def test_absolute_percent_is_points():
    c = one(r"Our model outperforms existing models by 10-20\% absolute.")
    assert (c.value, c.low, c.unit) == (20.0, 10.0, "points")


def test_score_and_bleu_points():
    assert vals("Our model reaches a BLEU score of 31.2 and +2.1 BLEU over the baseline.") == [
        (31.2, "points"), (2.1, "points")]


def test_count_with_suffix_expanded():
    c = one("We present a collection of 87.8K long videos.")
    assert (c.value, c.unit, c.unit_scale) == (87800.0, "count", "")


def test_hardware_as_achievement_is_cost():
    c = one("Our agent needs no GPU: a single node with 32 CPU cores is enough.")
    assert (c.value, c.unit, c.kind) == (32.0, "count", "cost")


def test_vs_pair_two_claims():
    assert vals("Our system shows superior performance (94.8% vs 93.4%).") == [(94.8, "percent"), (93.4, "percent")]


# ----------------------------------------------------------------------------- exclude rules
@pytest.mark.parametrize("text", [
    "We fine-tune ResNet-50, GPT-3 and Llama-2 with FP8 on V100 and A100-40GB GPUs.",
    "We build on MobileNetV2 and 3DGS for 3D scenes with S5 layers.",
    "We use BraTS images of 240x240x155x4 voxels and the WMT'14 benchmark.",
    "A Llama 7B can be loaded on our phone.",
])
def test_identifiers_excluded(text):
    assert claims_in_text(text) == []


def test_bit_widths_as_settings_excluded():
    assert claims_in_text("We quantize weights to 4-bit and 2-bit and keep activations in INT8.") == []


def test_bits_per_weight_result_included():
    assert vals("Our method compresses to 2.3 bits per weight.") == [(2.3, "other")]


def test_years_citations_sections_excluded():
    assert claims_in_text("In 2023 we extended [12] as described in Section 4 and Figure 3.") == []
    assert claims_in_text("Over the past 20 years, we saw growth every 2 years.") == []


def test_dataset_counts_and_enumerations_excluded():
    assert claims_in_text("We evaluate on three datasets and 10 baseline tasks with two contributions.") == []


def test_hyperparameters_excluded():
    assert claims_in_text("We mask large portions of the video (up to 75%) during pre-training.") == []
    assert claims_in_text("With rank equal to 8.3% of the embedding dimension, we train the model.") == []


def test_example_values_and_bounds_excluded():
    assert claims_in_text("When the context grows, we compare models with leq 4B parameters.") == []


def test_background_sentences_excluded():
    assert claims_in_text("Recent results reveal that pruning keeps 30% of the data.") == []
    assert claims_in_text("Prior systems (Wang et al., 2024) struggle beyond 20k tokens.") == []
    assert claims_in_text("How far do we get when scaling to billions of parameters?") == []


def test_hyphenated_time_and_dimension_excluded():
    assert claims_in_text("Our model generates 512x384 videos of 4-second duration at 30 FPS.") == []


def test_neutral_hardware_excluded():
    assert claims_in_text("We train on 400 GPUs using a 300 mm platform.") == []


def test_vague_range_excluded():
    assert claims_in_text("CNNs include tens to hundreds of millions of parameters, which we study.") == []


# ----------------------------------------------------------------------------- offsets / vocab / table
def test_offsets_with_non_ascii_before_claim():
    text = "Der Ansatz × Modèle élégant — «naïve» baseline; our method is 3.5× faster and uses 40% less mémoire."
    cs = claims_in_text(text)
    assert [(c.value, c.unit) for c in cs] == [(3.5, "x"), (40.0, "percent")]
    for c in cs:
        assert text[c.span_start:c.span_end] == c.text
        assert c.text.startswith(("3.5×", "40%"))
    assert cs[1].direction == "decrease"


def test_vocabularies_cover_output():
    text = ("Our method is 3x faster, uses 16 GB, trains a 7B model in 2 hours, reaches a score of 71.2, "
            "cuts memory by 30% and handles 128K tokens.")
    cs = claims_in_text(text)
    assert len(cs) == 7
    for c in cs:
        assert c.unit in UNITS and c.kind in KINDS and c.direction in DIRECTIONS


def test_extract_claims_table():
    papers = pl.DataFrame({
        "paper_id": ["a", "b", "c", "d"],
        "abstract": ["Our method is 2x faster and 30% smaller.", "No numbers here.", None,
                     "Ünïcode first: our model reaches 91.5% accuracy."],
    })
    out = extract_claims(papers)
    assert out.columns == ["paper_id", "claim_index", "value", "low", "unit", "unit_scale", "kind",
                           "direction", "text", "span_start", "span_end"]
    assert out.schema["value"] == pl.Float64 and out.schema["low"] == pl.Float64
    assert out.select("paper_id", "claim_index", "value").rows() == [("a", 0, 2.0), ("a", 1, 30.0), ("d", 0, 91.5)]
    abstracts = dict(zip(papers["paper_id"], papers["abstract"]))
    for r in out.iter_rows(named=True):
        assert abstracts[r["paper_id"]][r["span_start"]:r["span_end"]] == r["text"]


def test_extract_claims_parallel_matches_serial():
    base = ["Our method is 2x faster.", "We cut latency by 40% and use 8 GB.", "Nothing here."]
    papers = pl.DataFrame({"paper_id": [str(i) for i in range(300)], "abstract": base * 100})
    serial = extract_claims(papers, workers=1)
    parallel = extract_claims(papers, workers=2, chunk_size=50)
    assert serial.equals(parallel)
    assert serial.height == 300


def test_table_cues_match_single_text_cues():
    """extract_claims finds the word cues in polars and claims_in_text in Python: both give the same claims,
    including number words next to punctuation or capitals and word keys in any case."""
    texts = ["We recruited (twelve participants) for the study.", "Forty annotators labelled the corpus we built.",
             "Our decoder runs TWICE as fast.", "Training takes three Hours on one GPU.",
             "A dataset we collected with seventy-two, no, eighty volunteers.", "No cue at all."]
    papers = pl.DataFrame({"paper_id": [str(i) for i in range(len(texts))], "abstract": texts})
    table = extract_claims(papers, workers=1)
    single = [(str(i), c.value, c.unit, c.text) for i, t in enumerate(texts) for c in claims_in_text(t)]
    assert table.select("paper_id", "value", "unit", "text").rows() == single
    assert {r[0] for r in single} == {"0", "2", "3", "4"}


def test_empty_input():
    out = extract_claims(pl.DataFrame({"paper_id": [], "abstract": []}, schema={"paper_id": pl.String, "abstract": pl.String}))
    assert out.height == 0 and "span_end" in out.columns


# ----------------------------------------------------------------------------- SQL
def test_metric_sql_files(tmp_path):
    papers = pl.DataFrame({
        "paper_id": ["p1", "p2", "p3"],
        "title": ["Fast LLM Serving", "Memory Savers", "Plain Paper Title Here"],
        "abstract": [
            "We make LLM serving with KV caches 3x faster. The speedup reaches 5x on GPU. "
            "Code: https://github.com/org/repo.",
            "We cut memory by 40% and by 60% in LLM training! See https://huggingface.co/org/model for KV details.",
            "No claims at all here.",
        ],
    })
    claims = extract_claims(papers.select("paper_id", "abstract"))
    db = duckdb.connect(str(tmp_path / "m.duckdb"))
    db.register("papers_df", papers.to_arrow())
    db.register("claims_df", claims.to_arrow())
    db.execute("CREATE TABLE papers AS SELECT * FROM papers_df")
    db.execute("CREATE TABLE claims AS SELECT * FROM claims_df")
    db.execute("CREATE TABLE topics AS SELECT * FROM (VALUES (0, 'speed'), (1, 'memory'), (2, 'empty')) t(topic_id, label)")
    db.execute("CREATE TABLE paper_topics AS SELECT * FROM (VALUES ('p1', 0, 0.9, true), ('p1', 1, 0.1, false), "
               "('p2', 1, 0.8, true), ('p3', 1, 0.7, true)) t(paper_id, topic_id, score, is_primary)")
    db.execute("CREATE TABLE categories AS SELECT * FROM (VALUES ('sys', 'Systems'), ('ml', 'ML')) t(category_id, name)")
    db.execute("CREATE TABLE paper_categories AS SELECT * FROM (VALUES ('p1', 'sys', ['serving']), "
               "('p2', 'sys', ['memory']), ('p2', 'ml', ['training'])) t(paper_id, category_id, matched_terms)")
    for table in ("paper_metrics", "topic_metrics", "category_metrics"):
        db.execute(f"CREATE TABLE {table} AS {load_sql(table)}")

    pm = {r[0]: r for r in db.execute(
        "SELECT paper_id, title_words, abstract_words, sentences, claims, has_code_link, code_url, acronyms, "
        "max_speedup_x, max_memory_reduction_pct FROM paper_metrics ORDER BY paper_id").fetchall()}
    assert pm["p1"][1:] == (3, 17, 3, 2, True, "https://github.com/org/repo", 3, 5.0, None)
    assert pm["p2"][4:] == (2, True, "https://huggingface.co/org/model", 2, None, 60.0)
    assert pm["p3"][1:] == (4, 5, 1, 0, False, None, 0, None, None)

    tm = db.execute("SELECT topic_id, label, papers, papers_with_claims, share_with_claims, median_speedup_x, "
                    "max_speedup_x, median_memory_reduction_pct, papers_with_code FROM topic_metrics "
                    "ORDER BY topic_id").fetchall()
    assert tm == [(0, "speed", 1, 1, 1.0, 5.0, 5.0, None, 1),
                  (1, "memory", 2, 1, 0.5, None, None, 60.0, 1),
                  (2, "empty", 0, 0, None, None, None, None, 0)]

    cm = db.execute("SELECT category_id, name, papers, papers_with_claims, max_speedup_x, "
                    "median_memory_reduction_pct, papers_with_code FROM category_metrics ORDER BY category_id").fetchall()
    assert cm == [("ml", "ML", 1, 1, None, 60.0, 1), ("sys", "Systems", 2, 2, 5.0, 60.0, 2)]
    db.close()


def test_paper_metrics_shortcuts_equal_the_regexes():
    """paper_metrics counts words without a regex when the only whitespace is single inner spaces, and
    runs the code-link regex only where a host name occurs: both must equal the plain regexes on any text."""
    texts = ["", " ", "one", "two words", " lead", "trail ", "dou  ble", "tab\there", "new\nline", "cr\r\nlf",
             "form\ffeed", "vt\x0bkept", "nbsp\u00a0kept", "e \u0301 combining", "ünï cödé wörds",
             "See https://github.com/org/repo.", "at gitlab.example.org/team/x, and", "GitHub.com/org/x",
             "huggingface.co/org/m) and github.comx/y", "https://www.gitlab.com/a/b;"]
    papers = pl.DataFrame({"paper_id": [f"p{i:02d}" for i in range(len(texts) + 1)],
                           "title": [*texts, None], "abstract": [*reversed(texts), None]})
    db = duckdb.connect()
    db.register("papers", papers.to_arrow())
    db.register("claims", extract_claims(pl.DataFrame(schema={"paper_id": pl.String, "abstract": pl.String})).to_arrow())
    got = db.execute(f"SELECT paper_id, title_words, abstract_words, code_url FROM ({load_sql('paper_metrics')}) "
                     "ORDER BY paper_id").fetchall()
    want = db.execute(
        "SELECT paper_id, len(regexp_extract_all(coalesce(title, ''), '\\S+')), "
        "len(regexp_extract_all(coalesce(abstract, ''), '\\S+')), nullif(rtrim(regexp_extract(coalesce(abstract, ''), "
        "'(?:https?://)?(?:www\\.)?(?:github\\.com|gitlab\\.com|gitlab\\.[a-z0-9.-]+|huggingface\\.co)/"
        "[^\\s\\]\\)\\}\\{>,;\"''<]+'), '.'), '') FROM papers ORDER BY paper_id").fetchall()
    assert got == want
    assert sum(1 for row in want if row[3]) == 4 and {row[1] for row in want} >= {0, 1, 2, 3}


# ----------------------------------------------------------------------------- issue 17: rule classes
# Made-up sentences, one test per class; none is copied from the dev or held-out labels.
def test_number_grammar_class():
    """Leading-dot decimals, LaTeX multipliers, double-hyphen ranges, glued seconds, factor-of ratios,
    number-word counts."""
    assert vals("Our tagger gains .04 in F1 over the parser.") == [(0.04, "points")]
    assert vals(r"Our kernel is 7$\times$ faster than the reference.") == [(7.0, "x")]
    c = one("Our planner wins 12--18% more games.")
    assert (c.value, c.low, c.unit) == (18.0, 12.0, "percent")
    assert vals("Each query is answered in 3.5s on our laptop.") == [(3.5, "seconds")]
    assert vals("Our codec shrinks the archive by a factor of 12.") == [(12.0, "x")]
    c = one("We ran a field study with fourteen volunteers.")
    assert (c.value, c.unit, c.kind) == (14.0, "count", "scale")
    assert vals(r"Our tuning adds +4.4$\%$ on the hard split.") == [(4.4, "percent")]
    c = one(r"A full training run of our model costs about \$2.5K.")
    assert (c.value, c.unit, c.kind) == (2500.0, "other", "cost")
    assert vals("Our ranker reaches AUCs of 0.91 (site A), 0.88 (site B).") == [(0.91, "points"), (0.88, "points")]


def test_from_a_to_b_is_one_claim_with_direction():
    up = one("Our tuning lifts the pass rate from 41% to 67%.")
    assert (up.value, up.low, up.unit, up.direction) == (67.0, 41.0, "percent", "increase")
    down = one("We shrink the index from 9 GB to 3 GB.")
    assert (down.value, down.low, down.unit_scale, down.kind, down.direction) == (9.0, 3.0, "GB", "memory", "decrease")
    score = one("Our tutor raises the rubric score from 3.1 to 4.6.")
    assert (score.value, score.low, score.unit, score.direction) == (4.6, 3.1, "points", "increase")
    span = one("The collection holds essays ranging from 200 to 900 words, which we release.")
    assert span.direction == "none"


def test_metric_lexicon_class():
    """Bare numbers next to a metric name are points; "%p" and "absolute" are points."""
    assert vals("Our ranker reaches NDCG@10 = 0.612 and MRR of 0.554.") == [(0.612, "points"), (0.554, "points")]
    assert vals("Our parser scores +3.7 labeled F1 over the baseline.") == [(3.7, "points")]
    assert vals("Our detector improves recall by 6.2%p.") == [(6.2, "points")]
    assert vals("We report an AUROC (0.931) on the held-out clinic.") == [(0.931, "points")]
    assert vals("Our estimator reaches a mean absolute error of 1.8 years.") == [(1.8, "points")]


def test_token_and_parameter_lexicon_class():
    """Context sizes below 1,000 tokens with a context word; parameter counts and model sizes next to
    a model noun or name; parameter changes are kind `parameters`."""
    c = one("Our reader works within a window of 384 tokens.")
    assert (c.value, c.unit, c.kind) == (384.0, "tokens", "scale")
    c = one("We distil it into a 3B-sized student LLM.")
    assert (c.value, c.unit, c.unit_scale, c.kind) == (3.0, "parameters", "B", "parameters")
    c = one("Our adapter tunes only 4,096 parameters.")
    assert (c.value, c.unit, c.kind) == (4096.0, "parameters", "parameters")
    c = one("Our pruned network has 12x fewer parameters.")
    assert (c.value, c.unit, c.kind, c.direction) == (12.0, "x", "parameters", "decrease")
    assert claims_in_text("Our 1B model beats the 400B-sized Goliath-2 on puzzles.")[0].value == 1.0
    assert [c.value for c in claims_in_text("Our 1B model beats the 400B-sized Goliath-2 on puzzles.")] == [1.0]


def test_counted_noun_class():
    """Counts of data and people the work built or studied are claims; evaluated-on counts are not;
    'only N' is a cost."""
    # "recipes" is no listed noun; it counts through the built-data rule (test_counts_of_built_data_with_any_noun_class)
    assert vals("We release a corpus comprising 8,214 annotated recipes and 52 videos.") == [
        (8214.0, "count"), (52.0, "count")]
    # the people a study of the work involved count (docs/claims_decisions.md, study participants)
    assert vals("Our interviews involved 37 nurses, and our corpus contains 2,300 transcripts.") == [
        (37.0, "count"), (2300.0, "count")]
    assert vals("Our survey reached N = 512 respondents.") == [(512.0, "count")]
    c = one("Our segmenter adapts with only 24 labelled images.")
    assert (c.value, c.unit, c.kind) == (24.0, "count", "cost")
    assert claims_in_text("We evaluate our agent on 1,500 questions from public suites.") == []


def test_attribution_class():
    """Numbers about other work or the world are not the work's claims; the work's own are."""
    assert claims_in_text("According to the census, 40 million adults lack broadband.") == []
    assert claims_in_text("Some frontier models accept over 1 million tokens of context.") == []
    assert claims_in_text("However, most open detectors (e.g., A and B) handle under 64K tokens.") == []
    assert claims_in_text("Retrieval systems perform poorly on manuals of 300 pages or more.") == []
    assert vals("In contrast, our retriever handles 300-page manuals with 91% recall.") == [(91.0, "percent")]


def test_kind_class():
    """Rates are speed; a ratio with no kind word in its clause takes the sentence's nearest one."""
    c = one("Our renderer draws 90 frames per second on a phone.")
    assert (c.unit, c.kind) == ("other", "speed")
    c = one("On the noisy split, our tagger surpasses the baseline by 4.3%.")
    assert c.kind == "accuracy"


def test_suffixed_ranges_and_arrows_class():
    """Number grammar: a range suffixed on both ends is one range; an arrow is "from A to B"; bold and
    inline-math numbers take the unit after their close; "N+%"; "N.N-billion-parameter"."""
    c = one("We pretrain a family of 3B-13B parameters on our corpus.")
    assert (c.value, c.low, c.unit, c.unit_scale) == (13.0, 3.0, "parameters", "B")
    c = one("Our cache keeps 16K-64K tokens of context.")
    assert (c.value, c.low, c.unit, c.unit_scale) == (64.0, 16.0, "tokens", "K")
    c = one(r"Our verifier lifts pass rate $41.5\%\rightarrow 63.0\%$ on the puzzle split.")
    assert (c.value, c.low, c.unit, c.direction) == (63.0, 41.5, "percent", "increase")
    c = one("Our pager cuts median latency 80 ms -> 20 ms.")
    assert (c.value, c.low, c.unit, c.direction) == (0.08, 0.02, "seconds", "decrease")
    assert one("Our filter keeps recall 88% → 88% on the clean split.").direction == "none"
    assert vals(r"Our judge beats the best prior judge by $\textbf{6.2}$\% on the hard split.") == [(6.2, "percent")]
    assert vals("Our agent gains 15+% on the web tasks.") == [(15.0, "percent")]
    c = one("We pretrain a 2.4-billion-parameter decoder on our corpus.")
    assert (c.value, c.unit, c.kind) == (2.4e9, "parameters", "parameters")


def test_metric_names_and_score_ranges_class():
    """Metric lexicon: plural names, "area under the curve", "<metric> values/gain of N", score ranges,
    "performance of N.N", "N.N on <Benchmark>" lists, CamelCase *Score names."""
    assert vals("Our probe reaches accuracies of 0.812 and 0.845 on the two cohorts.") == \
        [(0.812, "points"), (0.845, "points")]
    assert vals("Our detector attains area under the curve values of 0.903 overall.") == [(0.903, "points")]
    assert vals("Our vocoder yields a mean opinion score (MOS) gain of 0.41 for Welsh.") == [(0.41, "points")]
    c = one("Our screener scores an AUC of 0.871-0.925 across sites.")
    assert (c.value, c.low, c.unit, c.kind) == (0.925, 0.871, "points", "accuracy")
    assert vals("Our planner reaches a performance of 61.7 on the maze suite.") == [(61.7, "points")]
    assert claims_in_text("We compare the performance of 12 planners on mazes.") == []
    assert vals("Our tutor scores 71.5 on MathQuiz and 48.25 on LogicSet.") == [(71.5, "points"), (48.25, "points")]
    assert vals("Our captioner obtains a GleuScore of 0.734 on the news split.") == [(0.734, "points")]


def test_compute_and_rate_units_class():
    """Unit lexicon: FLOP counts are a cost; "<noun> per second" and Hz are speed."""
    c = one("Our head adds only 1.7 GFLOPs to the backbone.")
    assert (c.value, c.unit, c.kind) == (1.7, "other", "cost")
    c = one("Our student needs 42.5 million FLOPs per image.")
    assert (c.value, c.unit, c.kind) == (42_500_000.0, "other", "cost")
    c = one("Our parser converts 3.2 pages per second on one core.")
    assert (c.value, c.unit, c.kind) == (3.2, "other", "speed")
    c = one("Our tracker runs at 45 Hz on an embedded board.")
    assert (c.unit, c.kind) == ("other", "speed")
    assert claims_in_text("The microphone array samples at 200 Hz.") == []


def test_attribution_predicates_and_parentheticals_class():
    """Attribution: "challenging" marks background only as a predicate; a count's build verb is found
    across a parenthetical; "limits applications" marks others' costs."""
    assert vals("Across six challenging suites, RouteNet improves solve rate by 7.5%.") == [(7.5, "percent")]
    assert claims_in_text("Grading proofs remains challenging: checkers miss 30% of errors.") == []
    c = one("We release HarborSet (the largest port-camera collection so far), with 52,000 images.")
    assert (c.value, c.unit) == (52_000.0, "count")
    assert claims_in_text("However, their heavy decoders (21.0 GFLOPs) limit deployment on drones.") == []


def test_sizes_and_splits_are_not_counts_class():
    """Counted nouns and settings: a word ending in s after a model size is no counted noun; a data split
    is a setting, a change "by N% for training" is not."""
    assert claims_in_text("In the survey, Orca 13B was the clearest of all systems.") == []
    assert claims_in_text("We release checkpoints in 1B, 3B and 9B sizes.") == []
    assert claims_in_text("Of the 900 scans, 70% were used for training and 30% for testing.") == []
    assert vals("Our scheduler cuts GPU hours by 35% for training.") == [(35.0, "percent")]


def test_result_lower_bounds_class():
    """Number grammar: a lower bound on what the work achieves is a claim; selections, upper bounds and
    negated bounds are not."""
    c = one("With the new sampler our tagger achieves >97% accuracy on clean text.")
    assert (c.value, c.unit, c.kind) == (97.0, "percent", "accuracy")
    assert claims_in_text("We keep only parsers with >= 3B parameters in the study.") == []
    assert claims_in_text("Our router adds little overhead (<2%).") == []
    assert claims_in_text("On the hard split no system achieves >60% accuracy.") == []


def test_decimal_points_do_not_end_a_clause():
    """Kinds: a list member after a decimal takes the clause's metric, not a later word of the sentence."""
    cs = claims_in_text("Our encoder reaches recall of 61.4% on Alpha, 58.2% on Beta, while adding 0.9% more "
                        "parameters.")
    assert [(c.value, c.kind) for c in cs][:2] == [(61.4, "accuracy"), (58.2, "accuracy")]


def test_physical_units_after_a_metric_class():
    """Unit lexicon: lengths, pixels and angles are scores when a metric is named just before them (list members
    and from-to included); elsewhere they state sizes or settings."""
    c = one("Our probe keeps the tracking error below 0.7 mm on every phantom.")
    assert (c.value, c.unit, c.kind) == (0.7, "points", "accuracy")
    c = one("The calibrated arm cuts its reach error from 14.2 cm to 2.9 cm.")
    assert (c.value, c.low, c.unit, c.direction) == (14.2, 2.9, "points", "decrease")
    assert vals("Our fitter reaches angle errors of 3.5 degrees and 2.1 degrees on the two rigs.") == [
        (3.5, "points"), (2.1, "points")]
    assert claims_in_text("We mill a 12 cm plate and keep targets beyond 0.4m from the camera.") == []


def test_intervals_class():
    """Number grammar: a confidence interval after a bare decimal marks a measured score, and one between the
    ends of a from-to does not break it."""
    assert vals("Sensitivity was best for our fused reader, 0.91 (95% CI 0.87-0.94), then the text reader, "
                "0.83 (95% CI 0.78-0.87).") == [(0.91, "points"), (0.83, "points")]
    c = one("Our triage tool lowered the miss rate from 0.37 (0.31, 0.42) to 0.15 (0.11, 0.19).")
    assert (c.value, c.low, c.unit, c.direction) == (0.37, 0.15, "points", "decrease")


def test_parameter_phrases_and_series_class():
    """Unit lexicon: a number after a parameter phrase counts parameters (digits, suffixes, words); sizes in
    parentheses after a series the work trains are parameter counts, listed or as a range; a series only
    evaluated is not."""
    c = one("The distilled tagger has a parameter count of just 4.2 million.")
    assert (c.value, c.unit, c.kind) == (4.2e6, "parameters", "parameters")
    assert [(c.value, c.unit, c.unit_scale) for c in claims_in_text("We pretrain a series of parsers (0.3B and 1.2B).")] \
        == [(0.3, "parameters", "B"), (1.2, "parameters", "B")]
    c = one("We train three summarizers (2B to 9B) on legal text.")
    assert (c.value, c.low, c.unit, c.unit_scale) == (9.0, 2.0, "parameters", "B")
    assert claims_in_text("We probe chat models across parameter scales (3B to 70B).") == []


def test_bounded_list_members_class():
    """Number grammar: a later member of an achieved lower-bound list is a claim too; negated lists are not."""
    assert vals("Our planner achieves > 93% success in the kitchen and > 81% in the garage.") == [
        (93.0, "percent"), (81.0, "percent")]
    assert claims_in_text("No planner achieves > 70% in the kitchen, and > 50% in the garage.") == []


def test_signed_scores_and_decimal_deltas_class():
    """Metric lexicon: a signed score after a metric acronym in parentheses, and a decimal change "by N.N" of
    a metric named after a change verb, are points."""
    assert vals("Our denoiser lifts the perceptual index (LPIPS) of +0.137 and +0.052 over the baseline.")[:1] == [
        (0.137, "points")]
    c = one("Our tagger lowers the character error rate on noisy scans by 0.61.")
    assert (c.value, c.unit, c.kind, c.direction) == (0.61, "points", "accuracy", "decrease")
    assert claims_in_text("Our cache lowers the latency by 0.8 on average.") == []


def test_absolute_lists_class():
    """Metric lexicon: every member of a list of "absolute" gains is points, across "on <Name>"; a mean
    absolute percentage error stays a percent."""
    cs = claims_in_text("Our ranker yields absolute gains of 4.1% on Delta, 2.6% on Echo, and 1.2% on Foxtrot.")
    assert [(c.value, c.unit, c.direction) for c in cs] == [(4.1, "points", "increase"), (2.6, "points", "increase"),
                                                            (1.2, "points", "increase")]
    assert [c.unit for c in claims_in_text("Our meter reaches mean absolute percentage errors of 9.5% and 14.25%.")] \
        == ["percent", "percent"]


def test_robustness_and_emission_kinds_class():
    """Kinds: robustness is accuracy, emissions are cost."""
    assert one("Our filter reaches 64% robustness against noisy prompts.").kind == "accuracy"
    assert one("Our scheduler cuts carbon emissions by up to 37.5%.").kind == "cost"


def test_successes_out_of_a_total_class():
    """Counted nouns: successes out of a total after a verb of success are accuracy counts; wins "on N out of
    M benchmarks" are counts of benchmarks, not claims."""
    c = one("Our prover proves 23 goals out of 30 in the library.")
    assert (c.value, c.unit, c.kind) == (23.0, "count", "accuracy")
    assert claims_in_text("Our tagger is best on 5 out of 7 corpora.") == []


def test_context_lengths_in_digits_and_noun_phrase_ends_class():
    """Token lexicon: a whole number after a context-length phrase of the work is a token count; another
    model's context length is background. Counted nouns: a relative clause after a model size counts nothing."""
    c = one("Our encoder reads a context window of 24,576 at linear cost.")
    assert (c.value, c.unit, c.kind) == (24576.0, "tokens", "scale")
    assert claims_in_text("Those models raised the maximum input sequence length from 256 to 2048.") == []
    assert claims_in_text("The demo is built on Mistral 7B that drafts replies.") == []


def test_hardware_memory_and_factor_ranges_class():
    """Unit lexicon: a memory size naming a hardware model is no memory claim; number grammar: a range after
    "factors of" keeps the multiplier unit."""
    assert claims_in_text("Our tutor runs on four 48 GB L40S GPUs and 32GB Tensor Processing Units.") == []
    c = one("Our codec shrinks the index by factors of 11-19.")
    assert (c.value, c.low, c.unit) == (19.0, 11.0, "x")


def test_other_models_parameter_counts_class():
    """Attribution: parameter counts of models named only for comparison are not the work's; the work's own
    bounds ("fewer than 90K parameters") are; model families counted are no counted people."""
    assert claims_in_text("Our captioner beats much larger models (e.g., 34B parameters) on two metrics.") == []
    assert claims_in_text("Our parser rivals systems exceeding 65B parameters.") == []
    c = one("Our filter has fewer than 90K parameters.")
    assert (c.value, c.unit, c.unit_scale) == (90.0, "parameters", "K")
    assert claims_in_text("We probe nine checkpoints from 4 families of encoders.") == []


def test_correlations_studies_and_dataset_sizes_class():
    """Metric lexicon: correlation coefficients ("$r = 0.81$", "($\\rho$) exceeding 0.9", "0.97 Spearman") are
    points. Counted nouns: people of a study the work ran count even in an evaluation; "a dataset with N <items>"
    and hyphenated, comma-separated adjectives before the noun are sizes built; data trained or evaluated on is not."""
    assert vals("Our metric reaches a Pearson correlation of $r = 0.812$ with raters.") == [(0.812, "points")]
    assert vals("Our ranking gets a Kendall coefficient ($\\tau$) exceeding 0.74 on news.") == [(0.74, "points")]
    assert vals("Our judge agrees with editors (0.97 Spearman).") == [(0.97, "points")]
    assert vals("A field evaluation with 31 nurses showed fewer errors.") == [(31.0, "count")]
    assert vals("We build a grounding dataset with 45K region-caption pairs.") == [(45000.0, "count")]
    assert vals("Our corpus comprises 640 long-form, hand-checked dialogues.") == [(640.0, "count")]
    assert claims_in_text("We pre-train on a public pathology dataset with 12 million image-text pairs.") == []
    assert claims_in_text("Our suite spans 12 diverse scientific domains, covering videos of lectures.") == []


def test_metric_from_to_and_more_counted_nouns_class():
    """Metric lexicon: a metric named right before "from A to B" makes the pair a score change (not an integer
    that counts people: "MOS from 12 raters"). Counted nouns: instructions, charts, tables, segments...; "-sample
    benchmark" after a build verb is its size."""
    c = one("Our refiner lifts Intersection-over-Union: from 0.71 to 0.83 on scans.")
    assert (c.value, c.low, c.unit, c.direction) == (0.83, 0.71, "points", "increase")
    assert vals("We collect MOS from 12 raters for our codec.") == [(12.0, "count")]
    assert vals("We release a corpus of 2,450 annotated charts.") == [(2450.0, "count")]
    assert vals("We are curating a 5,200-sample benchmark for planning.") == [(5200.0, "count")]


def test_evaluation_venues_and_product_numbers_class():
    """Kinds: a gain reported "on <X> dataset/benchmark" takes its metric's kind, not scale; metric acronyms (AP,
    IoU) mark accuracy, never the start of a longer word ("approximately"). Number grammar: a number-word
    quantity after a list separator is read once; levels and product numbers ("grade 5", "an RTX 4090") are no
    quantities."""
    assert [c.kind for c in claims_in_text("Our tagger gains 4.2% on the Alpha dataset and 6.1% on the Beta dataset.")] \
        == ["accuracy", "accuracy"]
    assert one("Our detector reaches 41.3% AP on the city benchmark.").kind == "accuracy"
    assert one("Our sampler speeds up decoding by approximately 6x.").kind == "speed"
    assert vals("Our new corpus comprises 52,000 images and 3 million captions.") == [
        (52000.0, "count"), (3e6, "count")]
    assert claims_in_text("We surveyed 310 essays from grade 5 pupils on an RTX 4090, or 2 GPUs per second.") == []


def test_counts_of_built_data_with_any_noun_class():
    # any plural noun, after an explicit build cue, when the count is large
    assert vals("We curate a corpus comprising 4,812 annotated radiographs from two hospitals.") == [(4812.0, "count")]
    assert vals("The archive contains 73,020 transcribed folk melodies.") == [(73020.0, "count")]
    assert vals("We assemble a dataset of 2,700 Reddit and Quora threads.") == [(2700.0, "count")]
    # a dataset with N items, in words or with a suffix, is its size, not data used
    assert vals("We release a dataset with over 3.5 million query rewrites.") == [(3.5e6, "count")]
    assert vals("We construct a 2.5 million instruction corpus for tuning.") == [(2.5e6, "count")]
    # small counts and design nouns are settings; "consistent" is no build verb
    assert vals("The benchmark consists of 12 handcrafted levels.") == []
    assert vals("Our encoder comprises 768 hidden units.") == []
    assert vals("The trend is consistent across 140 ablations.") == []
    # data only evaluated on, even several words after the verb
    assert vals("Experiments conducted on a large-scale street dataset containing two million samples show gains.") == []


def test_shares_times_distances_and_flops_kinds_class():
    # a share of the people or items studied is a finding (other), unless success measures it
    assert one("In our survey, 64% of respondents preferred the new layout.").kind == "other"
    assert one("Annotators agreed in about 71% of the cases we sampled.").kind == "other"
    assert one("The agent correctly completes 45% of the tasks.").kind == "accuracy"
    # "times" (a multiplier) and "of the time" (a frequency) are no speed words
    assert one("It grows the candidate pool by 30x times over prior work.").kind != "speed"
    assert one("The planner picks the safest route 88% of the time.").kind != "speed"
    assert one("We cut inference times by 35%.").kind == "speed"
    # distances and divergences are quality measures; FLOPs are compute, a cost
    assert one("Our sampler yields a 27% reduction in KL divergence.").kind == "accuracy"
    c = one("The pruning step reduces FLOPs by 62%.")
    assert (c.kind, c.direction) == ("cost", "decrease")


def test_spread_money_energy_and_half_from_class():
    # a value with its spread is the value; the unit after the spread still counts
    assert vals("Our probe scores 63.4 \\pm 1.2 ROUGE-L.") == [(63.4, "points")]
    assert vals(r"Training needs only $8,240\pm 310$ seconds.") == [(8240.0, "seconds")]
    # a plain "$" before a number is money unless it opens TeX ("$3\times$", "$4$-shot")
    assert vals("Each audit costs about $180, against $2,400 for a manual one.") == [(180.0, "other"), (2400.0, "other")]
    assert vals("The fleet earned $3.7 million in a month.") == [(3.7e6, "other")]
    assert [c.kind for c in claims_in_text("Each audit costs about $180.")] == ["cost"]
    assert vals(r"We get a $3 \times$ speedup in $4$-shot mode.") == [(3.0, "x")]
    # energy and power are costs; a bare W or J needs a power or energy word
    cs = claims_in_text("The chip draws 4.5 W and uses 0.7 kWh per 1,000 queries.")
    assert [(c.value, c.unit, c.kind) for c in cs] == [(4.5, "other", "cost"), (0.7, "other", "cost")]
    assert vals("We place 12 W sensors on the arm.") == []
    # "half from A and half from B" is a composition, not a ratio
    assert vals("Half from news and half from forums, the posts were cleaned.") == []


def test_glued_lists_suffixes_in_math_and_evaluated_model_sizes_class():
    # a list glued after a unit ("12.5%,11.8%") is still a list; "1,050" stays one number
    assert vals("Scores rise by 12.5%,11.8%,9.4% on the three splits.") == [
        (12.5, "percent"), (11.8, "percent"), (9.4, "percent")]
    # a suffix inside TeX math, lower-case b before tokens, hyphenated orders of magnitude
    assert vals("We release a corpus comprising $85k$ annotated receipts.") == [(85000.0, "count")]
    c = one("Our encoder is pretrained on a corpus of 18b tokens.")
    assert (c.value, c.unit, c.unit_scale) == (18.0, "tokens", "B")
    assert vals("It gives a three-orders-of-magnitude speedup.") == [(1000.0, "x")]
    # what the method only needs: "only requires N"
    c = one("The adapter only requires 2K gradient steps to converge.")
    assert (c.value, c.unit, c.kind) == (2000.0, "count", "cost")
    # sizes of a set of models the work evaluates are not its own; sizes it trains are
    assert vals("We benchmark twelve open models ranging from 2B to 40B parameters.") == []
    assert vals("We train models ranging from 1B to 7B parameters.") == [(7.0, "parameters")]
    # a few tasks of a design are no size
    assert vals("We create two auditing tasks for the agents.") == []
    assert vals("We present three worked examples and a corpus of twelve books.") == [(12.0, "count")]
    assert vals("It reaches 71.5% Dice with 12.4G FLOPs.") == [(71.5, "percent"), (12.4, "other")]
    # compound number words count; people of the work's experiments count
    assert vals("We recruited thirty-six volunteers for the trial.") == [(36.0, "count")]
    assert vals("We ran two experiments with fourteen listeners.") == [(14.0, "count")]
    # a parameter count "from A to B"; successes "N of M"; a rate after a processing verb; time taken is speed
    c = one("Pruning lowers the parameter count from 120M to 35M.")
    assert (c.value, c.low, c.unit, c.direction) == (120.0, 35.0, "parameters", "decrease")
    assert one("Our planner solves 41 of 50 puzzles.").kind == "accuracy"
    assert vals("The tracker processes frames at 90 FPS.") == [(90.0, "other")]
    assert [c.kind for c in claims_in_text("It renders 8 seconds of audio in 3 seconds.")] == ["scale", "speed"]
    # durations of data are scale; "N% better" is performance
    assert one("We collect a 36-hour speech corpus of street interviews.").kind == "scale"
    assert one("Our parser performed up to 7.5% better than the baseline.").kind == "accuracy"


def test_signed_scores_asides_operating_points_and_compositions_class():
    # a signed decimal in parentheses after a name is a score gain
    assert vals("It also helps on TableQA (+2.6) and ChartQA (+1.3).") == [(2.6, "points"), (1.3, "points")]
    # a short aside between the ends of a from-to keeps one claim
    c = one("Recall rises from 58% (with plain prompts) to 71%.")
    assert (c.value, c.low, c.direction) == (71.0, 58.0, "increase")
    # an operating point of a metric is a setting; a product number before GPUs is no count
    assert vals("Our detector lowers FPR by 3.9% at 95% true positive rate.") == [(3.9, "percent")]
    assert vals("Training takes 9 hours on NVIDIA 3090 GPUs.") == [(32400.0, "seconds")]
    # a count per unit is a composition; a few tasks are a design; "resulting in N" is a size built
    assert vals("We render the scene from six views, resulting in twelve images per object.") == []
    assert vals("Our suite comprises 24 tasks.") == []
    assert vals("Filtering the drafts, resulting in 3,904 checked proofs.") == [(3904.0, "count")]
    # "N folds", "nDCG@k" after a range, hallucination rates and set sizes as kinds
    assert vals("It shortens decoding by 11 folds.") == [(11.0, "x")]
    assert vals("It gains 0.4-0.9 nDCG@10 on the suite.") == [(0.9, "points")]
    assert one("It cuts hallucination rates by 21.5%.").kind == "accuracy"


def test_passive_builds_math_counts_rates_and_evaluated_sets_class():
    # a build verb after the noun, counts inside TeX math, five modifiers before the noun
    assert vals("For the archive, 12,400 letters were transcribed and annotated by volunteers.") == [(12400.0, "count")]
    assert vals("We construct a dataset of $250$ patients and $9,800$ visit notes.") == [
        (250.0, "count"), (9800.0, "count")]
    assert vals("We release a corpus of 3,100 carefully hand checked bilingual legal documents.") == [(3100.0, "count")]
    # the base of a share, data only evaluated, a version before "dataset", a dimension are no counts
    assert vals("Experts liked 61% of 140 drafts.") == [(61.0, "percent")]
    assert vals("We evaluate it on public corpora (comprising 52,310 scanned receipts).") == []
    assert vals("We introduce tools for the Harbor 2.0 dataset.") == []
    assert vals("It reaches 310 million events per second at 1920 x 1080.")[0][1] == "other"
    # R^2 and glued dB are metric values; a rate with no other kind word is quality; a compression rate is memory
    assert vals("Our regressor reaches R^2 = 0.87 on the test split.") == [(0.87, "points")]
    assert vals("It gains up to 2.4dB in PSNR.") == [(2.4, "points")]
    assert one("Our checker lowers the refusal rate by 18.5%.").kind == "accuracy"
    assert one("It achieves a compression rate of up to 16x.").kind == "memory"



def test_decimal_scores_with_a_metric_in_the_clause_class():
    # a bare decimal is a score when its clause names a metric a few words before or right after it
    assert vals("On the harbour split, mean macro-F1 sits near 0.847 for our tagger.") == [(0.847, "points")]
    assert vals("Our ranker keeps PLCC scores spanning 0.712 to 0.804 on both sets.") == [(0.804, "points")]
    assert vals("The tagger scores 0.66 in recall on noisy forms.") == [(0.66, "points")]
    # a version, a spread, a scale maximum, a p-value and a setting are no scores
    assert vals("Our F1 gain with Stable Cascade 2.1 stays small.") == []
    assert vals("Our tagger holds macro-F1 of 0.81 $\\pm$ 0.02 on the harbour set.") == [(0.81, "points")]
    assert vals("Raters gave our agent a mean score of 4.2 out of 5.0 overall.") == [(4.2, "points")]
    assert vals("With a threshold of 0.35 the recall gain is modest.") == []
    assert vals("The accuracy difference is significant (p = 0.03).") == []


def test_powers_of_ten_and_fractions_of_a_whole_class():
    # a mantissa times a power of ten, in TeX, with a multiplication sign or as e-notation, is one number
    assert vals("Our tagger holds roughly $4.5\\times10^{7}$ parameters.") == [(4.5e7, "parameters")]
    assert vals("Our corpus comprises 3 × 10^4 annotated sketches.") == [(3e4, "count")]
    assert vals("The distilled student keeps 6.1e7 parameters.") == [(6.1e7, "parameters")]
    assert vals("We tune with lr=3e-4 for 5 epochs.") == []
    # a fraction of a whole is a share in percent, like "half of"
    c = one("Our pruned tagger keeps only 1/8 of the weights.")
    assert (c.value, c.unit) == (12.5, "percent")
    assert vals("It runs 2.4x/1.9x faster on the two boards.") == [(2.4, "x"), (1.9, "x")]


def test_own_model_sizes_with_any_head_noun_class():
    # the work's own model named by any noun after its size: after "our" always, after "a" with what the work did
    assert vals("Our 2B summariser runs on one phone.") == [(2.0, "parameters")]
    assert vals("We distil a 1.2B ranker trained on click logs.") == [(1.2, "parameters")]
    # another model's size, a budget and data sizes are not
    assert vals("Ours beats a 34B ranker trained on twice the data.") == [(2.0, "x")]
    assert vals("We release a 5M image collection.") == []
    # a model the work's method is based on, and data counted with "data" after a collection verb
    assert vals("Our judge based on Falcon 3B and 1B even beats larger ones.") == [(3.0, "parameters"), (1.0, "parameters")]
    assert vals("To train it, we collect 120K dialogue data from forums.") == [(120000.0, "count")]
    assert vals("We gathered 900 data used for training only.") == []
    # sizes of a series the work offers, listed in parentheses after "sizes"
    assert vals("The Osprey family offers three model sizes (0.4B, 2B, 6B) for retrieval.") == [
        (0.4, "parameters"), (2.0, "parameters"), (6.0, "parameters")]


def test_hyphenated_points_bit_widths_reached_and_people_who_took_part_class():
    # "N-point" gains are points, direction from the wording; a rating scale is no claim
    c = one("Our tagger brings a 4.5-point gain in macro-F1.")
    assert (c.value, c.unit, c.direction) == (4.5, "points", "increase")
    assert one("Ours shows only a 6-point drop on noisy forms.").direction == "decrease"
    assert vals("Judges scored each answer on a 7-point Likert scale.") == []
    # a bit width a compression reaches is a result; a bit width used is a setting
    assert vals("Our codec quantizes the embeddings to 3 bits per value.") == [(3.0, "other")]
    assert vals("Our codec shrinks the cache down to 2 bits.") == [(2.0, "other")]
    assert vals("We keep 8 bits for the router and 2-bit experts.") == []
    # people counted by the verb after them
    assert vals("Nineteen nurses took part in our ward trial.") == [(19.0, "count")]
    assert vals("Overall, 36 clinicians participated in the review.") == [(36.0, "count")]


def test_bare_decimals_are_results_unless_a_class_explains_them_class():
    # recall-first: a decimal without a unit in the work's sentence is a measured value (points)
    assert vals("Our parser reaches 0.742 on the harbour forms.") == [(0.742, "points")]
    assert vals("Ours scores 61.3 versus 55.0 for the rule baseline.") == [(61.3, "points"), (55.0, "points")]
    # ... unless it is a version, a p-value, a variable, an interval, a unit we do not read, a per-item rate,
    # a change "by N" with no metric named, or a member of a list whose unit comes later
    assert vals("We build on Tessera 3.5 and the tagger 2.1 release.") == []
    assert vals("Our gain is significant (p < 0.01).") == []
    assert vals("We set $\\eta = 0.25$ in our sampler.") == []
    assert vals("Our triage tool holds 0.82 (0.78, 0.86) on the ward.") == [(0.82, "points")]
    assert vals("Our amplifier runs at 2.4 GHz on the test bench.") == []
    assert vals("Our set averages 2.7 labels per photo.") == []
    assert vals("Our cache cuts the stalls by 0.4 overall.") == []
    assert vals("Our kernels are 1.6 and 1.4 times faster.") == [(1.6, "x"), (1.4, "x")]
    # a later pair of a from-to list is one claim; an integer after a two-word name is part of the name
    cs = claims_in_text("Our mixer lowers LSD and MCD from 9.41 to 8.95, 6.12 to 5.73 on the studio set.")
    assert [(c.value, c.low, c.unit, c.direction) for c in cs] == [
        (9.41, 8.95, "points", "decrease"), (6.12, 5.73, "points", "decrease")]
    assert vals("Ours reaches 48.1 mIoU on Harbor Scenes 40, 61.5 cIoU on Dock.") == [(48.1, "points"), (61.5, "points")]
    assert vals("Our gain holds for dubbing setting 2.0 as well.") == []


def test_counts_anywhere_in_a_paper_presenting_its_own_data_class():
    # an abstract that presents its own benchmark sizes it by any count of 100+ plural nouns, far from the build verb
    text = ("We introduce HarborQA, a benchmark for port logistics. Each item pairs a manifest with a question. "
            "In total it spans 4,310 manifests and 1,020 question/answer triples.")
    assert vals(text) == [(4310.0, "count"), (1020.0, "count")]
    # without a data paper, or where the counts are only evaluated on, they stay settings
    assert vals("Each item pairs a manifest with a question. In total it spans 4,310 manifests.") == []
    assert vals("We introduce HarborQA, a benchmark for ports. We evaluate on 4,310 manifests.") == []

def test_metric_sql_uses_corrected_kinds(tmp_path):
    """A parameter reduction is no memory reduction; a byte from-to decrease is a memory factor."""
    papers = pl.DataFrame({"paper_id": ["q1", "q2"], "title": ["Tiny", "Slim"], "abstract": [
        "Our pruned network has 12x fewer parameters.", "We shrink the index from 9 GB to 3 GB."]})
    claims = extract_claims(papers.select("paper_id", "abstract"))
    db = duckdb.connect(str(tmp_path / "k.duckdb"))
    db.register("papers", papers.to_arrow())
    db.register("claims", claims.to_arrow())
    rows = dict(db.execute(f"SELECT paper_id, max_memory_reduction_x FROM ({load_sql('paper_metrics')})").fetchall())
    assert rows == {"q1": None, "q2": 3.0}
    db.close()


def test_candidate_form_classes_of_a_labelled_set():
    # tools/claims_candidates: every number is a candidate in a form class, counted as kept by labels and extractor
    from tools.claims_candidates import tally

    paper = {"abstract": "Our parser cuts errors by 12% and reaches 0.81 with Qwen 2.5.",
             "claims": [{"text": "12%"}, {"text": "0.81"}]}
    table = tally([paper])
    assert table["percent"] == [1, 1, 1, 1]
    assert table["bare decimal"] == [2, 1, 1, 1]  # 0.81 kept by both, the version 2.5 by neither


def test_sizes_of_models_the_work_only_uses_or_experiments_on_class():
    # sizes in parentheses after a set of models the work only uses are those models' sizes, not the work's
    assert vals("We pair 6 open language models (3B-34B parameters) to write the dialogues.") == []
    assert vals("Our pipeline queries several chat models (2B, 9B and 27B parameters) for labels.") == []
    # a series the work trains stays its own
    assert vals("We train a family of models (1B-7B parameters) on code.") == [(7.0, "parameters")]
    # models an experiment runs on: "experiments across models (fine-tuned on X 11B)" names the models tested
    assert vals("Experiments across chat models (fine-tuned on Falcon-2 11B and 40B) show up to 90x compression.") == [
        (90.0, "x")]
    assert vals("We fine-tune Falcon-2 11B on legal text.") == [(11.0, "parameters")]


def test_generic_statements_about_a_field_are_background_class():
    # "typically"/"commonly" state what a field does, so the sentence's numbers describe other work
    assert vals("Parsers typically rely on big treebanks; for example, the Alder bank holds 2.4 million trees.") == []
    assert vals("Such detectors commonly need 40 GB of memory.") == []
    # the work's own sentence keeps its numbers, and "commonly used" material is no generic statement
    assert vals("Our parser typically needs 3x fewer trees.") == [(3.0, "x")]
    assert vals("The tagger reaches 91.2% on the commonly used Birch set.") == [(91.2, "percent")]


def test_abbreviations_with_dots_end_no_sentence_class():
    # "U.K. Gazette": the dots of an abbreviation end no sentence, so the evaluation verb before it still marks data
    # evaluated on (a setting), across dotted words
    assert vals("The tagger is evaluated on several volumes of the U.K. Gazette containing thousands of notices.") == []
    assert len(claims_in_text("Our tagger is tested on U.S. Code titles. It reads 40% faster.")) == 1
    # the same count in a sentence where the work builds the data stays a claim
    assert vals("We compile the U.K. Gazette corpus, containing thousands of notices.") == [(1000.0, "count")]


def test_data_trained_or_analysed_on_in_magnitude_words_class():
    # data a model is trained on or a study analyses, counted in magnitude words, is a setting
    assert vals("Our ranker was trained on over 12 million shopping queries from two shops.") == []
    assert vals("We trace tone shifts by analysing slang across 1.9 million forum posts.") == []
    # data the work builds, and sizes trained *with*, stay claims
    assert vals("We release a corpus of 3.5 million forum posts.") == [(3500000.0, "count")]
    assert vals("We train readers with up to 40 million memory slots.") == [(40000000.0, "count")]


def test_time_letter_glued_to_a_metric_name_is_no_time_class():
    # "h-mIoU" names a metric; the "h" of it is no hour, so the number is a metric gain
    assert vals("Our segmenter gains 1.8 h-mIoU over the best baseline.") == [(1.8, "points")]
    # a time unit on its own stays a duration
    assert vals("Our planner finishes a full scan in 3 h on one GPU.") == [(10800.0, "seconds")]


def test_counts_of_another_work_compared_with_are_not_claims_class():
    # a count after "than the"/"unlike the" sizes another work's data, named only to compare with
    assert vals("We build a set of 50,000 scans, far fewer than the 9 million images of the Pine set.") == [
        (50000.0, "count")]
    assert vals("We collected 400 dialogues, unlike the 12,000 dialogues in Birch.") == [(400.0, "count")]


def test_bare_plural_magnitudes_of_the_world_are_not_claims_class():
    # "millions of X" without the work building or handling them sizes the world or others' work
    assert vals("Such faults cost airlines millions of dollars and strand thousands of travellers.") == []
    assert vals("A critic who wrote thousands of reviews inspires our tagger, which reaches 88% F1.") == [(88.0, "percent")]
    # data the work built, and what the work scales to, stay claims
    assert vals("Our archive contains thousands of scanned letters.") == [(1000.0, "count")]
    assert vals("Our editor scales to thousands of sequential edits.") == [(1000.0, "count")]


def test_hundreds_multiply_a_magnitude_word_class():
    # "five hundred million" is one number, 5e8: not a count of five and another of a hundred million
    assert vals("We release a corpus of five hundred million tokens.") == [(5e8, "tokens")]
    assert vals("Our survey reached two hundred thousand readers.") == [(2e5, "count")]
    assert vals("We collected 3 hundred thousand letters.") == [(3e5, "count")]
    assert vals("Our corpus holds a hundred thousand letters.") == [(1e5, "count")]


def test_sizes_of_data_the_work_only_uses_are_settings_class():
    # a count, byte size or duration of data that a verb of use, evaluation or training takes as its object
    assert vals("We utilised a public set of chest scans provided by a hospital, comprising 640 scans.") == []
    assert vals("We tuned the tagger on a public dataset consisting of 2.4 GB of forum text.") == []
    assert vals("We benchmarked the planner using 2.5 hours of logs from a delivery robot.") == []
    assert vals("Survey answers of 3,100 households from a census office were used.") == []
    # data the work builds keeps its size, as does a cost ("only") and a time the work takes
    assert vals("We use a crawler to build a corpus of 4,200 letters.") == [(4200.0, "count")]
    assert vals("With only 20 minutes of speech data, our model adapts to a new voice.") == [(1200.0, "seconds")]
    assert vals("Our planner finishes a full map in 2.5 hours using one GPU.") == [(9000.0, "seconds")]
    # a verb used as an adjective ("training", "retrieval") uses nothing: the work's own data keeps its size
    assert vals("We release our weights and our curated training sets (including 8M image-caption pairs).") == [
        (8e6, "count")]
    # "N=" after a named set the work trains or evaluates on sizes data used; "our model" is no data of the work
    assert vals("We trained our model on ALDER-2 (N=1348) and BIRCH (N=716) scans.") == []
    assert vals("We recruited participants for a field study (N=24) of our tool.") == [(24.0, "count")]
    # after evaluating or training, a build participle as the data's adjective does not make the size the work's
    assert vals("We evaluate our tagger on a curated dataset of over 40 participants from two clinics.") == []
    assert vals("We evaluate our tagger on our newly collected dataset of 4,000 rulings.") == [(4000.0, "count")]
    # a verb inside a hyphenated name ("Quill-Train") uses nothing
    assert vals("We build Quill-Train, a set consisting of 7,412 annotated questions.") == [(7412.0, "count")]


def test_relative_clauses_on_what_other_methods_need_class():
    # a relative clause that says what other methods rely on, need or use describes their design, not the work's result
    assert vals("Our tagger outperforms existing parsers that rely on 10x more treebank data.") == []
    assert vals("The new parser beats baselines, which require 40 GB of memory, on all five sets.") == []
    assert vals("Our ranker matches baselines that use LLMs with 30-70 times more parameters.") == []
    # a score the work measured for them stays a result; the clause ends at "and" or a comma
    assert vals("Our ranker beats baselines that reach 61.2% accuracy, with a 4.1% gain.") == [
        (61.2, "percent"), (4.1, "percent")]
    assert vals("Our tagger outperforms baselines that rely on dense features and runs 3x faster.") == [(3.0, "x")]
    assert vals("Our tagger matches baselines while requiring 10x less memory.") == [(10.0, "x")]


def test_other_work_as_the_sentence_subject_is_background_class():
    # other work as the subject (its authors, a dated study, existing methods with what they need, studies that report)
    assert vals("The authors of Alder originally cache about 30 million key vectors per layer.") == []
    assert vals("The 2021 Birch study built a treebank that lets parsers with 2 to 8 million parameters reach fluency.") == []
    assert vals("The currently existing parsers often tend to use treebanks with millions of trees and need 40 GB.") == []
    assert vals("Several studies report error rates near 12% for such taggers.") == []
    # models the work evaluated as the subject, and the work's own words, keep the results
    assert vals("The traditional taggers with hand-made features achieved the best result, with 0.91 accuracy.") == [
        (0.91, "points")]
    assert vals("Existing parsers evaluated on our set reach only 41.2% accuracy.") == [(41.2, "percent")]


def test_settings_the_work_chooses_or_holds_equal_class():
    # a budget held equal for a comparison, a masking or corruption ratio, a share naming a split of the data
    assert vals("Given the same memory budget of 3.2GB, our tagger beats the baseline by 4.1% accuracy.") == [
        (4.1, "percent")]
    assert vals("During pre-training we randomly occlude 40\\% of the frames and 60\\% of the channels.") == []
    assert vals("The parsers were evaluated on a 15% held-out split of the treebank.") == []
    # a share the work needs only ("only a 10% subset") is a cost; "the same backbone by +2.4%" is a result
    assert vals("Our tagger, trained only on a 10% subset of the corpus, matches the full model.") == [(10.0, "percent")]
    assert vals("Our tagger surpasses prior bests with the same backbone by +2.4% and 1.1%.") == [
        (2.4, "percent"), (1.1, "percent")]


def test_sizes_of_model_families_the_work_evaluates_or_audits_class():
    # sizes of model families or LLMs the work evaluates or audits are those models' sizes, in digits or words
    assert vals("We evaluate the open Alder and Birch families ranging from 1.5B to 70B parameters on our set.") == []
    assert vals("We present an audit of chat LLMs with up to 5 billion parameters.") == []
    # a model the work trains keeps its size
    assert vals("We train a parser with 5 billion parameters.") == [(5e9, "parameters")]


def test_conditions_a_result_is_measured_under_class():
    # a threshold, noise level or adoption rate after "at"/"under", and the threshold a share of items passes
    assert vals("Our detector reaches 41.2 AP at a 0.7 IoU threshold.") == [(41.2, "points")]
    assert vals("Our tagger keeps 88.1% accuracy under 40% label noise.") == [(88.1, "percent")]
    assert vals("Even at a 20% adoption rate, our planner cuts delays by 12%.") == [(12.0, "percent")]
    assert vals("Our parser handles 90% of cases exceeding 0.5 IoU.") == [(90.0, "percent")]
    # a result after "at" and a bound the work achieves stay claims
    assert vals("The tagger performs best at 37.3% success rate.") == [(37.3, "percent")]
    assert vals("Our tracker uses only 4% of the data to achieve over 90% accuracy.") == [
        (4.0, "percent"), (90.0, "percent")]


def test_interval_ends_after_a_colon_class():
    # the ends of an interval are no claims, however the interval's label is punctuated
    assert vals("Our method achieved an average test AUC of 0.86 (95% CI: 0.80-0.91) across three folds.") == [
        (0.86, "points")]
    assert vals("Our tagger reached a median Dice of 0.79 [IQR: 0.71-0.84].") == [(0.79, "points")]
    # a spread or range label in brackets marks the same kind of non-result
    assert vals("Our tracker shows a registration error of 3.86 (SD=2.01)mm.") == [(3.86, "points")]
    assert vals("Our tagger reached a median Dice of 0.79 (range: 0.61-0.88).") == [(0.79, "points")]


def test_cut_offs_after_at_sign_are_part_of_a_metric_name_class():
    # "MRR@10", "mAP@50:95": the numbers after "@" name the metric's cut-off, they are no percent or score
    assert vals("Our ranker gains 15% in MRR@3 and 19% in MRR@10 over the baseline.") == [
        (15.0, "percent"), (19.0, "percent")]
    assert vals("Our detector reaches 66.2% mAP@50 and 49.1% mAP@50:95 on the Alder set.") == [
        (66.2, "percent"), (49.1, "percent")]


def test_a_level_before_a_data_word_is_a_name_class():
    # "Stage 2 dataset": the number names a level of the data, it counts no datasets; a count of suites stays
    assert vals("We release our Stage 2 dataset with read speech.") == []
    assert vals("We introduce 3 benchmark suites for parsing.") == [(3.0, "count")]


def test_model_classes_selected_by_a_size_bound_and_hardware_memory_class():
    # a size bound in words that selects a class of models, architectures experimented on, hardware's own memory
    assert vals("We find that chat LLMs with fewer than 10B parameters often miss negations.") == []
    assert vals("Our 8B tagger matches the accuracy of models with over 70B parameters.") == [(8.0, "parameters")]
    assert vals("Causal tracing experiments on Alder architectures (1B and 7B parameters) locate the facts.") == []
    assert vals("We train a 1.5B parameter parser on an RTX 4070 with 12GB memory.") == [(1.5, "parameters")]
    # models the work trains past a bound, and hardware needed "only" (a cost), stay claims
    assert vals("It trains large models of over 100B parameter with super-linear speedup.") == [(100.0, "parameters")]
    assert vals("We train a 1.5B parameter parser on an RTX 4070 with only 12GB memory.") == [
        (1.5, "parameters"), (12.0, "bytes")]


def test_a_video_format_after_4k_is_a_name_class():
    # "4K video streams", "4K UAV videos": the format's name, no count of 4,000; "4K videos" alone may count videos
    assert vals("Our tracker runs at 7 fps on 4K video streams from drones.") == [(7.0, "other")]
    assert vals("We release 4K UAV videos of herds and 2K annotated frames.") == [(2000.0, "count")]
    assert vals("We collect 4K videos of traffic.") == [(4000.0, "count")]


def test_sentences_continuing_other_work_and_its_repeated_numbers_class():
    # after a sentence whose subject is other work, "this <noun>" without the work's words goes on about that work, and
    # that work's number repeated with "the" is its own; the work's later result stays
    text = ("The authors of Alder originally cache about 30 million key vectors per layer. For a 6B model, this caching "
            "step takes 36 hours on one GPU. Editing with Alder can be done by caching a small part of the 30 million "
            "vectors, which cuts the time to 2 hours.")
    assert vals(text) == [(7200.0, "seconds")]
    # the work's own words end the carry-over
    assert vals("The authors of Alder cache 30 million vectors. We show that this caching step can be cut by 90%.") == [
        (90.0, "percent")]


def test_levels_of_confidence_and_prediction_intervals_class():
    # the coverage levels an interval is built at are settings, however they are listed; a result next to them stays
    assert vals("Our sampler gives narrower prediction intervals (80%, 90%, 97%) while keeping coverage.") == []
    assert vals("At a confidence level of 95%, our detector flags 88% of the faults.") == [(88.0, "percent")]
    assert vals("Our sampler narrows the intervals by 40% on the Alder set.") == [(40.0, "percent")]


def test_numbers_reported_by_other_work_class():
    # numbers before "as reported by <authors> et al." / "reported in the original paper" are that work's results,
    # even in a sentence with the work's own words; a comparison word keeps the work's own number before the cue
    assert vals("We show that plain pruning cuts perplexity by 10-20% but lowers F1 by 5-9%, as reported by "
                "Birch et al.") == []
    assert vals("A comparison with results on 300 patients, reported in the original Alder paper, is given.") == []
    assert vals("We reach 91% accuracy, well above the 85% reported in prior work.") == [(91.0, "percent")]
    assert vals("We reach 91% accuracy, as reported in Table 2.") == [(91.0, "percent")]


def test_n_fold_procedures_and_parts_class():
    # "N-fold" before a validation or split procedure, or after "the contributions are", counts parts, not a ratio
    assert vals("A 7-fold stratified cross-validation of our tagger gives 91% accuracy.") == [(91.0, "percent")]
    assert vals("The contributions of this work are three-fold. First, we cut errors by 4%.") == [(4.0, "percent")]
    assert vals("Our tagger is 7-fold faster and gives a three-fold drop in errors.") == [(7.0, "x"), (3.0, "x")]


def test_statistics_of_the_world_are_background_class():
    # a share of a world or population total, or a statistic framed by a region or a future year, describes the world
    assert vals("Rye accounts for about 12% of the world's cereal exports, so mapping it matters.") == []
    assert vals("By 2045, people over 70 will make up 19 percent of the global population.") == []
    assert vals("In the European Union, trucks cause 27% of road emissions.") == []
    # the work's own words keep a result; a finding about a model's parts is a result
    assert vals("By 2045 our tool cuts costs by 30%.") == [(30.0, "percent")]
    assert vals("Only 3 of the 30 layers account for over 70% of the errors.") == [(70.0, "percent")]


def test_model_sizes_as_a_condition_or_of_evaluated_pairs_class():
    # a size bound after "only"/"models" says which models a finding holds for; sizes of model pairs evaluated are
    # those models' sizes; a model the work trains or scales stays a claim
    assert vals("Adapters beat full tuning only beyond 13B parameters.") == []
    assert vals("Pruning helps only for models above 6B parameters.") == []
    assert vals("Assessing 80 model-method pairs (0.3B-65B parameters), we find three trends.") == []
    assert vals("We scale our tagger beyond 11B parameters.") == [(11.0, "parameters")]


def test_what_compared_models_were_trained_on_class():
    # after a comparison word, a participle on what the other models were trained on or use describes them
    assert vals("Our tagger rivals baselines trained on orders of magnitude larger corpora.") == []
    assert vals("Our tagger is on par when compared to models trained on 90 times more text.") == []
    # the work's own data ratio stays a claim
    assert vals("Our tagger needs 40x less text than models trained on web dumps.") == [(40.0, "x")]


def test_how_finely_data_are_sampled_class():
    # a sampling distance, interval or precision of data, in time or space, is a design setting of the data
    assert vals("We release 9,100 trajectories with a precision of 0.05 seconds.") == [(9100.0, "count")]
    assert vals("Its photos come at a ground sampling distance of 30 centimeter.") == []
    # a precision the work achieves, or a metric without a unit, stays a result
    assert vals("Our tracker achieves a localization precision of 3 cm.") == [(3.0, "points")]
    assert vals("Our tagger reaches a precision of 0.91.") == [(0.91, "points")]


def test_sample_sizes_of_data_in_brackets_class():
    # "(N=45 scans)": the sample of data an evaluation ran on; people in a study and data the work built keep a size
    assert vals("Our tagger did well in a blinded review (N=45 scans).") == []
    assert vals("Acceptance testing resulted in a 91% acceptance rate (N=120 slides).") == [(91.0, "percent")]
    assert vals("In a user study (N=24), our tool cut errors by 30%.") == [(24.0, "count"), (30.0, "percent")]
    assert vals("We collected a new set (N=900 scans) of knee images.") == [(900.0, "count")]


def test_counts_breaking_down_a_count_already_given_class():
    # a count in brackets right after a count, or after "including", breaks down data already counted
    assert vals("We release Alder, a set of 400 clips (150 indoor clips and 250 outdoor clips).") == [(400.0, "count")]
    assert vals("We build a suite of 300 problems, including 12 chosen problems from a contest.") == [(300.0, "count")]
    assert vals("We release 1,200 synthetic notes, with 500 being error-free notes and 700 containing errors.") == [
        (1200.0, "count")]
    # a total of other units in brackets, and a count glued to a name, stay sizes
    assert vals("We introduce a benchmark of 300 case sets (4,100 civil cases in total) for tuning.") == [
        (300.0, "count"), (4100.0, "count")]
    assert vals("We construct the ALD-40K set including 41,200 image pairs.") == [(41200.0, "count")]
def kinds(text: str) -> list[tuple]:
    return [(c.value, c.unit, c.kind) for c in claims_in_text(text)]


def test_shares_and_cuts_of_resources_used_are_cost_class():
    # a share or cut of the tokens, data or compute the work spends is a cost, not scale, accuracy or parameters
    assert kinds("Our tagger matches the baseline while reading only 7% of the input tokens.") == [(7.0, "percent", "cost")]
    assert kinds("The pruner keeps its F1 with a 71% token reduction.") == [(71.0, "percent", "cost")]
    assert kinds("Our ranker beats the teacher using just 12% of the training data.") == [(12.0, "percent", "cost")]
    assert kinds("Our parser needs fewer parameters ($8.1\\%$), training data ($0.7\\%$) and GPU hours ($0.4\\%$).") == [
        (8.1, "percent", "parameters"), (0.7, "percent", "cost"), (0.4, "percent", "cost")]
    # data items count as a resource after a cue of need; a share of items studied stays a finding
    assert kinds("With only 3% labelled samples, our detector reaches the full model's recall.")[0] == (3.0, "percent", "cost")
    assert kinds("In our survey, 41% of the respondents preferred the new layout.") == [(41.0, "percent", "other")]
    # a parity clause names what stays equal, not what the ratio measures
    assert kinds("Our scheduler cuts the compute needed to reach the same accuracy by 6x.") == [(6.0, "x", "cost")]
    # a rate of tokens is no resource spent
    assert kinds("Our decoder emits 3x more tokens per second.")[0][2] != "cost"


def test_ratio_kinds_size_and_metric_named_after_class():
    # a ratio of a size is scale; an improvement ratio that names its metric is accuracy, not speed
    assert kinds("Our corpus is 6.5 times larger than the previous one.") == [(6.5, "x", "scale")]
    assert kinds("The pipeline expands the pool of candidate designs by 12x.") == [(12.0, "x", "scale")]
    assert kinds("Our sampler brings a 3$\\times$ improvement in FVD over the base model.") == [(3.0, "x", "accuracy")]
    # without a metric after it, an improvement ratio keeps its speed reading
    assert kinds("Our kernel gives a 4x improvement over the naive loop.") == [(4.0, "x", "speed")]


def test_counts_of_own_data_items_training_sets_and_needs_in_words_class():
    # in a paper presenting its own data, 100+ listed items anywhere size it, even without a build verb nearby
    text = ("We present Quillset, a multimodal corpus of handwritten letters. "
            "Later, we transcribe all 3,120 letters for the speech track.")
    assert (3120.0, "count") in vals(text)
    # ... but not an aside on another's data
    assert (2400.0, "count") not in vals("We present Quillset, a corpus of letters. It follows Ink's archive (2,400 letters).")
    # "a training/test set of N" names data the work built, not a training verb
    assert vals("We also build Harbor-Train, a training set consisting of 7,412 annotated questions.") == [(7412.0, "count")]
    # what the work needs only so many of, in words or with "only" after the noun, is a cost
    assert kinds("Our recipe trains the detector on just three NVIDIA A30 GPUs.") == [(3.0, "count", "cost")]
    assert kinds("Our editor requires 4 reference sketches only.") == [(4.0, "count", "cost")]
    # data the world lacks is no need of the work
    assert vals("The dialect has only three annotated recordings, so we build a generator.") == []


def test_metric_deltas_device_durations_and_named_lists_class():
    # "N <metric word> points" and a range of them are points
    assert vals("Tuning on our set lifts the reader by 6-11 accuracy points.") == [(11.0, "points")]
    assert claims_in_text("Tuning on our set lifts the reader by 6-11 accuracy points.")[0].low == 6.0
    # a length named by the metric after it is a score
    assert vals("Our tracker cuts the drift by 1.7 cm in absolute trajectory error.") == [(1.7, "points")]
    assert vals("The arm holds a 12 cm plate.") == []
    # device time is compute spent, in seconds
    assert kinds("Our search finishes in 0.2 GPU days.") == [(17280.0, "seconds", "cost")]
    assert kinds("Pre-training our tagger costs 1,500 TPU-hours.") == [(5400000.0, "seconds", "cost")]
    # a list of scores across benchmark names that end in a number
    assert vals("Our prover gains 3.4 points on MiniF2F 2024, 2.2 on Putnam and 1.1 on ProofNet.") == [
        (3.4, "points"), (2.2, "points"), (1.1, "points")]


def test_ranges_across_suffixes_and_sizes_trained_at_scales_class():
    # ends written with different suffixes are one range in the larger end's suffix, not raw numbers of two scales
    c = one("We train our taggers from 150M to 2.4B parameters.")
    assert (c.value, c.low, c.unit, c.unit_scale) == (2.4, 0.15, "parameters", "B")
    c = one("Our reader extends its context from 16K to 2M tokens.")
    assert (c.value, c.low, c.unit, c.unit_scale, c.direction) == (2.0, 0.016, "tokens", "M", "increase")
    # sizes the work trains "at N scales" are parameters; experiments at scales count nothing
    assert [(c.value, c.unit) for c in claims_in_text("We pretrain Quill at 0.7B and 5B scales.")] == [
        (0.7, "parameters"), (5.0, "parameters")]
    assert vals("Experiments at 1B and 5B scales of the Fern suite show gains.") == []
    # "the resulting" model is the work's own
    assert vals("The resulting 2B tagger outperforms 9B baselines.") == [(2.0, "parameters")]


def test_more_verbs_that_make_data_class():
    # developed or crowdsourced items, and a data word that has its items, size what the work built
    assert vals("We developed 40 clinical cases for the ward study.") == [(40.0, "count")]
    assert vals("Our corpus has over 10,000 annotated letters.") == [(10000.0, "count")]
    assert vals("We crowdsourced 4,200 captions for the sketches.") == [(4200.0, "count")]
    # a model that has parameters is no data
    assert vals("The model has 40 layers.") == []


def test_people_of_a_study_by_profession_and_by_what_they_did_class():
    # professionals counted as the study's people, and people counted by the study work they did
    assert vals("We gathered relevance labels from 22 physician trainees.") == [(22.0, "count")]
    assert vals("In a second phase, three pathologists reviewed the generated slides.") == [(3.0, "count")]
    # a role in a design ("by having two human coders") stays a setting
    assert vals("We compare both lists by having two human coders derive themes.") == []


def test_settings_as_numbers_contexts_and_bits_reached_class():
    # "contexts of less than 8k" is a context length in tokens, like "a window of 8k"
    assert [(c.value, c.unit, c.unit_scale) for c in claims_in_text("Our reader stays accurate on contexts of less than 6k.")] == [
        (6.0, "tokens", "K")]
    # a bit width a compression reaches is a memory result, kind memory
    assert kinds("We quantize the tagger to 3 bits without loss.") == [(3.0, "other", "memory")]


def test_from_to_of_money_and_rates_and_error_metric_kinds_class():
    # "from $A to $B" is one from-to claim, as with any unit
    c = one("Our router cuts the serving bill from $3.10 to $0.45 per request.")
    assert (c.value, c.low, c.unit, c.kind, c.direction) == (3.1, 0.45, "other", "cost", "decrease")
    c = one("We lower the cost from US$1,800 to US$250.")
    assert (c.value, c.low) == (1800.0, 250.0)
    # a K-suffixed rate is a speed, value expanded, and its from-to ends in one scale
    c = one("Our decoder goes from 1.5k to 6.2k tokens/s.")
    assert (c.value, c.low, c.unit, c.kind) == (6200.0, 1500.0, "other", "speed")
    # error metrics named by acronym give a percent change its kind
    assert kinds("Our denoiser lowers WER by 18%.") == [(18.0, "percent", "accuracy")]


def test_directions_of_absolute_margins_and_signed_gains_class():
    # a margin over others, a signed gain and "N points over X" are increases; "falls by" is a decrease
    assert one("Our tagger outperforms the best baseline by 2.4 BLEU.").direction == "increase"
    assert one("On the hard split our reader gains +1.3 ROUGE-L.").direction == "increase"
    assert one("Our ranker scores 3.1 points over the teacher.").direction == "increase"
    assert one("The calibration error of our model falls by 0.018.").direction == "decrease"
    # a size the work's model has is no margin: "our 3B model outperforms ..." stays direction none
    assert one("Our 3B tagger outperforms larger systems.").direction == "none"


def test_ratios_and_percents_in_words_class():
    # "twofold" as one word, and percents or percentage points in words
    assert kinds("Our cache brings a threefold speedup in decoding.") == [(3.0, "x", "speed")]
    assert vals("Our tagger beats the baseline by three percentage points.") == [(3.0, "points")]
    assert vals("The compressor cuts storage by forty-five percent.") == [(45.0, "percent")]
    # a structure in n parts is no ratio, nor is a k-fold protocol
    assert vals("Our contributions are twofold: a corpus and a tagger.") == []
    assert vals("Under 10-fold cross-validation the tagger is stable.") == []


def test_lists_sharing_one_counted_noun_class():
    # "N <Name> and M <Name> <noun>": the noun after the last member counts the first too
    assert vals("We release a parallel corpus with 60,100 Czech and 41,500 Polish pages.") == [
        (60100.0, "count"), (41500.0, "count")]
    # without a counted noun after the last member, nothing is shared
    assert vals("We release a parallel corpus for 12 Czech and 9 Polish regions.") == []


def test_just_one_resource_needed_class():
    # "just one epoch", "only one GPU": a cost of count 1, also in an abstract without digits (the table path)
    text = "Tuned for just one epoch, our tagger beats larger systems."
    assert kinds(text) == [(1.0, "count", "cost")]
    table = extract_claims(pl.DataFrame({"paper_id": ["a"], "abstract": [text]}), workers=1)
    assert table.select("value", "unit", "kind").rows() == [(1.0, "count", "cost")]
    # "one of", "one model", and background stay no claims
    assert vals("We keep only one of the two corpora.") == []
    assert vals("Recent systems need only one GPU.") == []


def test_parameter_and_size_reduction_kinds_class():
    # weights are parameters; "N x smaller" is a size (memory), also after a speed figure; "trims" is a decrease
    assert kinds("Our pruner keeps 12x fewer weights.") == [(12.0, "x", "parameters")]
    assert [(c.kind, c.direction) for c in claims_in_text("Our tagger is 35% faster and 4x smaller.")] == [
        ("speed", "increase"), ("memory", "decrease")]
    assert one("Our codec trims the index size by 6x.").direction == "decrease"
    # a smaller error keeps its metric
    assert kinds("The tagger's error is 8% smaller than before.") == [(8.0, "percent", "accuracy")]


def test_counts_after_a_share_of_a_named_whole_class():
    # "a small portion of the N <items>" names the whole the work takes a share of, not a size the work built
    text = "We build our corpus by keeping only a small portion of the 9 million scanned letters."
    assert (9e6, "count") not in vals(text)
    assert (3100.0, "count") not in vals("Our probe reads a fraction of the 3,100 annotated pages.")
    # a count that is the work's own stays
    assert vals("We build a corpus of 3,100 annotated pages.") == [(3100.0, "count")]


def test_interval_and_spread_labels_and_occlusion_ratios_are_settings_class():
    # "CI:", "IQR:", "SD=" name an interval or a spread, not a metric: their numbers are no scores
    assert vals("Our ranker reached an AUROC of 0.77 (95% CI: 0.74-0.80) on the held-out ward.") == [(0.77, "points")]
    assert vals("Our tagger had a median Dice of 0.71 [IQR: 0.69-0.74].") == [(0.71, "points")]
    assert vals("The tracker showed an error of 2.9 (SD=1.4) on the phantom.") == [(2.9, "points")]
    # an unlisted acronym before a colon stays a score
    assert vals("Our detector reaches a CER: 0.12 on the test split.") == [(0.12, "points")]
    # a share the method occludes or corrupts is a setting, like a masking ratio
    assert vals("In pre-training we randomly occlude 40% of the patches.") == []


def test_interval_after_a_value_is_no_range_claim_class():
    # the interval of a percent or a spread written out is no claim of its own
    assert vals("Our triage model reached a sensitivity of 88.4% (95% CI, 85.1%-91.0%).") == [(88.4, "percent")]
    assert vals("Our tagger reached an F1 of 0.66 (s.d. 0.02) over five seeds.") == [(0.66, "points")]


def test_durations_of_data_used_or_needed_class():
    # a duration of data the work evaluates or benchmarks on is a setting, like counts of data used
    assert vals("We also benchmarked our tracker using 2.5 hours of data logged by a rover.") == []
    assert vals("Our tagger was evaluated on 3 hours of driving footage.") == []
    # a duration of data it needs only so much of is a cost; of data it built, a scale
    assert kinds("Our decoder works with as little as 20 minutes of neural data.") == [(1200.0, "seconds", "cost")]
    assert kinds("We release a corpus with 120 hours of speech.") == [(432000.0, "seconds", "scale")]


def test_a_budget_held_fixed_is_a_setting_class():
    # the size a comparison holds fixed ("given the same ... of N") is a setting, not a result
    assert (3.4, "bytes") not in vals("Given the same cache footprint of 3.4GB, our router wins by 4%.")
    assert vals("At the same compute budget of 12 GPU hours, our tagger reaches 71% accuracy.") == [(71.0, "percent")]


def test_counts_of_data_taken_from_others_or_only_used_class():
    # a dataset another party provides, or one the work only utilizes/employs, is data used: its size is a setting
    assert vals("We utilized a dataset provided by the Ridge consortium, comprising 192 CT volumes.") == []
    assert vals("We employed the public Fern corpus, containing 12,000 annotated letters.") == []
    # the same count in data the work builds stays a claim
    assert vals("We build a dataset comprising 192 CT volumes.") == [(192.0, "count")]


def test_rates_in_words_class():
    # a rate in number words is a speed like "0.84 pages per second"
    assert kinds("On a laptop CPU our reader processes at least three pages per second.") == [(3.0, "other", "speed")]


def test_fine_tuning_datasets_and_corpora_are_nouns_class():
    # "a fine-tuning dataset / training corpus with N" names data the work built; a training verb still marks data used
    assert vals("We also release a fine-tuning dataset with 3,870 annotated dialogues.") == [(3870.0, "count")]
    assert vals("We fine-tune our tagger on 3,870 annotated dialogues.") == []


def test_a_data_word_introducing_its_contents_after_a_colon_class():
    # "<Name> Dataset: N items" sizes that data, like "a dataset of N items"
    assert vals("Our core contribution is the Quill Dataset: over 9,000 hand-checked letters.") == [(9000.0, "count")]
    # a colon after other words introduces no data size
    assert vals("Our core contribution is simple: over 9,000 letters were read by a model.") == []


# ---- issue 17, eighth round (17-k1): kinds from the number's own clause; attribution and settings inside a sentence

def test_growth_rate_per_period_is_other_class():
    # a ratio per period of time is a growth rate (the spec's "3.0x/2yrs" example): kind other, not scale/speed
    assert kinds("We find that solver throughput has been scaling at 2.2x/3yrs since 2001.") == [(2.2, "x", "other")]
    assert kinds("Our audit shows that cache sizes grew 1.7 times every 4 years.")[0][2] == "other"
    # a ratio without a period keeps its word
    assert kinds("Our planner runs 2.2x faster.") == [(2.2, "x", "speed")]


def test_margin_over_others_is_accuracy_class():
    # kind words between "outperforms" and "by" describe what is beaten, not the margin
    assert kinds("Our tagger outperforms the cache-augmented Birch tagger by 14.2% and the speed-tuned Alder "
                 "parser by 9.1% on average.") == [(14.2, "percent", "accuracy"), (9.1, "percent", "accuracy")]
    # a word after the number still names it; "while" ends the margin's clause
    assert kinds("Our tagger outperforms the Birch tagger by 2x in latency.")[0][2] == "speed"
    assert kinds("Our reader beats Alder on all tasks while extending the usable context window by 4x.")[0][2] == "scale"


def test_percent_after_achieve_is_a_score_class():
    # "with it achieving N percent <task>": a score, whatever the sentence said before the achieve verb
    assert kinds("The pruned student has 61 percent fewer parameters, with it reaching 83 percent tagging.")[1] \
        == (83.0, "percent", "accuracy")


def test_elliptic_list_member_takes_earlier_words_class():
    # "Nx speed-up on <task> and Mx on <task>": the second ratio is a speed-up too, not the task's word
    assert kinds("Our decoder gives a 3.1x speed-up on video tagging and 2.4x on long document parsing.") == \
        [(3.1, "x", "speed"), (2.4, "x", "speed")]


def test_clause_with_its_own_noun_skips_the_sentence_keyword_class():
    # the object of a change verb ("reduces leakage by") or a noun after a comparative names what changed: kind other
    assert kinds("Our filter reduces leakage by 31% without hurting image quality.")[0][2] == "other"
    assert kinds("Our tutor writes 18% more concise hints while raising AUC by 2.1%.")[0][2] == "other"
    assert kinds("The new crawler offers an order of magnitude higher diversity in page layouts, with a 9x longer horizon.")[0][2] == "other"
    # a list of shares in brackets after item nouns
    assert [k for _, _, k in kinds("We find stale items (6%), mislabeled pages (13%), and broken links (9%).")][:2] \
        == ["other", "other"]
    # a generic object ("the baseline", "the general-task level") still falls back to the sentence
    assert kinds("In accuracy terms, our tuning raises the general-task level by 5%.")[0][2] == "accuracy"


def test_kind_words_are_whole_words_class():
    # "Videoly" is a name, not "video"; "powerful" is no power; "computational" is compute
    assert kinds("Compared to other suites, Videoly gives a 12x higher spread in item difficulty.")[0][2] != "scale"
    assert kinds("Our trimmed encoder cuts computational load by 40%.")[0][2] == "cost"
    # a verb form of a kind word still names it: "costing" is cost, even after a margin verb
    assert kinds("Our ranker beats both baselines while costing 1/50 of what a full retrain would.")[0][2] == "cost"


def test_size_of_and_budgets_class():
    # "N times the size of <memory>" is a model size handled; a larger budget is a cost
    assert kinds("Our loader runs models up to three times the size of the GPU memory.")[0][2] == "scale"
    assert kinds("Our router matches uniform routing with 30% larger compute budgets.")[0][2] == "cost"


def test_gaps_and_shares_needed_class():
    # a shortfall ("falls short by", "lags behind by") is a quality gap; a share of what a step needs is a cost
    assert kinds("Open taggers fall short by 12% relative to trained annotators.")[0][2] == "accuracy"
    assert kinds("We show the indexing step can be run with under 0.7% of the stored key vectors.")[0][2] == "cost"


def test_quality_words_and_success_shares_class():
    # agreement, consistency and effectiveness are quality; shares of outputs that pass a check, and how often a system
    # succeeds, are success rates; an accepted length is a decoding speed
    assert kinds("Our tagger shows higher stability (88% vs 79% agreement).") == \
        [(88.0, "percent", "accuracy"), (79.0, "percent", "accuracy")]
    assert kinds("Over 70% of the generated lemmas pass the proof checker.")[0][2] == "accuracy"
    assert kinds("Our model recognizes the speaker and the room 58% of the time.")[0][2] == "accuracy"
    assert kinds("Our drafter raises the accepted length by 22%.")[0][2] == "speed"
    # a share of people with no success word stays a finding
    assert kinds("In our survey, 64% of the respondents preferred short hints.")[0][2] == "other"


def test_metric_named_after_a_tex_ratio_class():
    # "1.3$\times$ improvement in Rouge-2": the metric is named in mixed case after a TeX times
    assert kinds("Our tuning yields a 1.3$\\times$ improvement in Rouge-2 on the Alder set.")[0][2] == "accuracy"
    assert kinds("Our kernel gives a 1.3$\\times$ improvement over the naive loop.")[0][2] == "speed"


def test_percent_range_with_points_after_class():
    # "by 4%-7% accuracy points": one range in points
    assert vals("Our tagger beats Alder by 4%-7% accuracy points across domains.") == [(7.0, "points")]
    # a relative change followed by the score it reached is no range: the percent stays a percent
    assert vals("Our reranker lifts the judge's rating by 18% to 0.47.") == [(18.0, "percent"), (0.47, "points")]


def test_data_an_evaluation_uses_class():
    # "evaluate it using an in-house set comprising N": data evaluated on, like a curated set after an evaluation verb
    assert vals("We build a gaze verifier and evaluate it using an in-house dataset comprising 4,120 subjects.") == []
    assert vals("We collect an in-house dataset comprising 4,120 subjects.") == [(4120.0, "count")]


def test_premise_clause_and_aside_on_other_work_class():
    # a leading premise clause states a fact of the world; a bracketed aside describes the work that inspired the approach
    assert vals("Recognizing that about 41% of forum posts mix scripts, our corpus keeps both scripts.") == []
    assert vals("This method is inspired by Alder's recent suite (2,300 tasks worth $2M total).") == []
    assert (41.0, "percent") in vals("We find that about 41% of forum posts mix scripts.")


def test_condition_after_with_is_a_setting_class():
    # "with N% <sparsity/noise>" is a condition like "at/under"; "with only N% labelled data" stays a cost
    assert (47.0, "percent") not in vals("Our filter reaches 91% recall with 47% activation sparsity.")
    assert kinds("Our tagger reaches 90% of full accuracy with only 8% labelled data.")[-1] == (8.0, "percent", "cost")
def test_sub_parts_of_one_range_or_from_to_class():
    # a short aside in words after the first end of a from-to keeps one claim, like an aside in brackets
    c = one("Recall rises from 41.3% with the plain tagger to 58.9% with our tagger.")
    assert (c.value, c.low, c.unit, c.direction) == (58.9, 41.3, "percent", "increase")
    # an aside that runs into a second result ("and up to") is no aside
    assert vals("Our tagger gains from 2-7% in recall and up to 9% in precision.") == [(7.0, "percent"), (9.0, "percent")]
    # an adjective and a sign before the second end; a span of signed gains is a span of increases
    c = one("Our method yields gains ranging from +1.4 to an impressive +9.7 across sizes.")
    assert (c.value, c.low, c.unit, c.direction) == (9.7, 1.4, "points", "increase")
    # money on both ends of a range, and "between A and B", are one range
    assert [(c.value, c.low) for c in claims_in_text("Our triage costs \\$12-\\$19 per ticket.")] == [(19.0, 12.0)]
    c = one("Our parser lowers the error to between 3.5% and 9.2% across tasks.")
    assert (c.value, c.low, c.unit) == (9.2, 3.5, "percent")
    # "as little as" or an adjective before the second end; a rate's "per <noun>" after the first
    c = one("Our cache cuts latency from 120 ms to as little as 15 ms.")
    assert (c.value, c.low, c.direction) == (0.12, 0.015, "decrease")
    assert [(c.value, c.low) for c in claims_in_text("Our tagger lifts recall from 41% to a remarkable 77%.")] == [(77.0, 41.0)]
    assert [(c.value, c.low) for c in claims_in_text("Costs fall from \\$4.10 per query to \\$0.35.")] == [(4.1, 0.35)]


def test_how_much_larger_the_compared_models_are_class():
    # ratios that size the models the work is compared with are their sizes, not a result of the work
    assert vals("Our tagger competes with 3x, 9x and 21x larger tagging models.") == []
    assert vals("Our parser beats several open models that are up to 12 times larger in size.") == []
    assert vals("Our tagger rivals models with 10x more parameters.") == []
    assert vals("Our tagger outperforms models 5x larger.") == []
    assert vals("Our tagger matches taggers up to 8 times its size.") == []
    assert vals("Our tagger beats Alder, which is 20x larger.") == []
    # the work's own ratio, and a larger thing that is no model, stay claims
    assert vals("Our corpus is 4.2 times larger than the only prior corpus.") == [(4.2, "x")]
    assert vals("Our parser beats baselines with a 3x larger context window.") == [(3.0, "x")]
    assert (3.0, "x") in vals("Our tagger outperforms baselines by 5%, and we also train 3x larger models.")
    assert vals("Our tagger outperforms Alder with 3x larger context.") == [(3.0, "x")]
    assert vals("Our model matches Alder with 10x fewer parameters.") == [(10.0, "x")]


def test_a_class_of_models_named_by_a_size_bound_class():
    # a size bound after "for"/"among" names which models a standing holds for, in the singular too
    assert vals("This sets a new standard for a compact tagger with less than 1B parameters.") == []
    assert vals("Our tagger is the best among models with fewer than 3B parameters.") == []
    # the work's own model with a bound stays a claim
    assert vals("We train a compact tagger with less than 1B parameters.") == [(1.0, "parameters")]


def test_an_interval_after_every_is_a_setting_class():
    # "every N <unit>" says how often something is done: a setting, in digits or in words
    assert vals("We release checkpoints at every one trillion tokens.") == []
    assert vals("Our tagger is evaluated every 500 steps and reaches 71% accuracy.") == [(71.0, "percent")]


def test_tokens_trained_on_are_a_setting_class():
    # tokens right after a training verb are data trained on, like "trained on over 12 million queries"
    assert vals("Our tagger matches Alder after pretraining on 11.2T high-quality tokens.") == []
    assert vals("We pretrain our tagger on 2T tokens.") == []
    # a corpus between the verb and the number sizes that corpus; "N-token sequences" are a length
    assert vals("Our tagger was pretrained on a clean corpus of 40B tokens.") == [(40.0, "tokens")]
    assert vals("When pretrained on 32K-token sequences, our tagger reads well.") == [(32.0, "tokens")]


def test_items_taken_from_another_named_source_class():
    # items taken from another's named repository, cohort or database are data used, like data "provided by" others
    assert vals("We annotated 2,310 entities across 75 discharge notes from the Alder repository.") == [(2310.0, "count")]
    # a build verb right before the count, or "our", keeps the work's own data
    assert vals("We curate 900 questions from the Pine benchmark.") == [(900.0, "count")]
    assert vals("Our corpus holds 4,200 letters from the Birch archive.") == [(4200.0, "count")]
    # an unnamed source ("from major open-source databases") may be what the work's own benchmark was compiled from
    assert vals("The benchmark features over 700,000 samples curated from major open-source databases such as Birch.") \
        == [(700000.0, "count")]


def test_statistics_of_counted_data_in_a_bracket_class():
    # a share of a property of items just counted, in a bracket after the count, is their composition
    assert vals("We release 1,000 cluttered scenes with dense layouts (14.1 objects/scene, 62.6% occlusion).") \
        == [(1000.0, "count")]
    assert vals("We release 2,400 annotated clips (38% night footage) for training.") == [(2400.0, "count")]
    # a comparison or a metric in the bracket is a result
    assert (12.0, "percent") in vals("We release 2,400 annotated clips (12% more than Alder).")
    assert vals("Our parser beats 5 baselines (12% accuracy gain).") == [(12.0, "percent")]


def test_absolute_after_the_last_list_member_class():
    # "absolute" after the last member of a percent list makes every member points
    assert vals("Our tagger achieves 6.1% and 2.3% absolute gains for the small and large sizes.") \
        == [(6.1, "points"), (2.3, "points")]


def test_times_after_a_verb_of_reach_counts_events_class():
    # "downloaded N times" counts downloads, like deployment reach: unit count
    assert kinds("Our tagger has been downloaded over 9,000 times since its release.") == [(9000.0, "count", "scale")]
    # "N times faster/more" stays a ratio
    assert vals("Our tagger is queried 3 times faster than Alder.") == [(3.0, "x")]
# ----------------------------------------------------------------------------- eighth round: kinds and directions
def kd(text: str) -> list[tuple]:
    return [(c.value, c.unit, c.kind, c.direction) for c in claims_in_text(text)]


def test_tokens_and_steps_a_model_spends_are_cost_class():
    # the length of what a model generates, tokens generated and training steps are compute spent: cost
    assert kd("Our pruner shortens the mean reasoning length of the solver by 27.5%.") == [(27.5, "percent", "cost", "decrease")]
    assert kd("We obtain a reasoning-length compression of 33.1% on proof tasks.") == [(33.1, "percent", "cost", "decrease")]
    assert kd("The jamming prompt inflates generated tokens by up to 14 times.") == [(14.0, "x", "cost", "increase")]
    assert kd("Our curriculum cuts the number of training steps by 3x.") == [(3.0, "x", "cost", "decrease")]
    # a context length handled stays scale
    assert kd("Our reader extends the context length by 8x.") == [(8.0, "x", "scale", "increase")]


def test_margin_verb_with_by_is_an_accuracy_increase_class():
    # "exceeding X by N" is a margin over others (accuracy, increase), even after a speed word earlier in the sentence
    assert kd("After a few training epochs our tagger exceeds the best rival by up to 4.2% on Wren.") == [
        (4.2, "percent", "accuracy", "increase")]
    # a bound "exceeding N%" is no margin
    assert kd("Our tagger reaches an F1 exceeding 91% on Wren.") == [(91.0, "percent", "accuracy", "none")]


def test_slower_decreases_and_enhancement_increases_class():
    assert kd("In exchange, the exact solver runs 6.5x slower than our sketch.") == [(6.5, "x", "speed", "decrease")]
    assert kd("Our tuning yields a recall enhancement of 12% over the base tagger.") == [(12.0, "percent", "accuracy", "increase")]


def test_context_compounds_are_no_context_length_class():
    # "context-aware" or "context-dependent" describe a design, not a context length
    assert kd("Pairing the gate with a context-dependent schedule boosts safety on Pebble by 18% while keeping its accuracy.") \
        == [(18.0, "percent", "accuracy", "increase")]


def test_kind_of_a_percent_from_its_own_clause_class():
    # a named metric right before the percent, or an achieve verb with no change word after it: a score
    assert kd("In the tests below, our parser attains an H-Acc of 71.4% while reading fewer images.")[0][2] == "accuracy"
    assert kd("Overall, Lark achieves 58.2% on Alder and 61.0% on Birch, all with a small token budget.") == [
        (58.2, "percent", "accuracy", "none"), (61.0, "percent", "accuracy", "none")]
    # "N x smaller" right after the number is a size even when a change word elsewhere in the sentence names quality
    assert kd("For this improvement we use a helper model 12x smaller.") == [(12.0, "x", "memory", "decrease")]


def test_directions_of_percents_by_their_own_clause_class():
    # a need cue states an amount, not a change
    assert kd("Our tagger outperforms others with only about 0.5% data cost.") == [(0.5, "percent", "cost", "none")]
    # "by N" of a second object takes the sentence's change verb
    assert [c[3] for c in kd("The adapter lowers the FID of sketches by at least 9% and the KID of photos by at least 4%.")] \
        == ["decrease", "decrease"]
    # a change word right after an earlier number belongs to that number
    assert kd("Our agent attains a 30% answer improvement and a 41% grounding rate.")[1][3] == "none"
    # an achieve verb after the change word reaches a level
    assert kd("The tuner helps recall, reaching an accuracy of 77%.") == [(77.0, "percent", "accuracy", "none")]
    # a signed percent is a gain
    assert kd("Our parser sets a new best score (+3.4% vs. the prior best).")[0][3] == "increase"


def test_tokens_spent_are_cost_class():
    # tokens needed only so many of, or per input, are compute spent; a context in tokens stays scale
    assert kd("Our captioner scores well on Reed, all with fewer than 6,400 visual tokens per clip.") == [
        (6400.0, "tokens", "cost", "none")]
    assert kd("Our reader handles a window of 4,096 tokens.") == [(4096.0, "tokens", "scale", "none")]


def test_shares_of_named_data_and_cuts_of_tokens_are_cost_class():
    assert kd("Our selector uses approximately 30% of Alder-QA v1.5 training data.") == [(30.0, "percent", "cost", "none")]
    assert kd("Our encoder gives a 9x compression of visual tokens per frame.") == [(9.0, "x", "cost", "decrease")]


def test_absolute_amount_after_a_need_cue_has_no_direction_class():
    # "improvement" earlier in the clause is not the direction of the amount needed
    assert kd("Our adapter keeps most of the gain with as few as 40 samples.") == [
        (40.0, "count", "cost", "none")]


def test_versus_pairs_are_levels_class():
    # two levels side by side keep direction none whatever change word the sentence has
    assert kd("Our tagger improves recall (0.81 vs. 0.66 F1 on Wren).") == [
        (0.81, "points", "accuracy", "none"), (0.66, "points", "accuracy", "none")]
    assert [c[3] for c in kd("Lark outperforms Wren in accuracy (74% vs 69%).")] == ["none", "none"]


def test_accounts_for_a_share_is_a_finding_class():
    assert kd("Our analysis shows that two of the 24 attention heads account for over 60% of the hallucinations.")[-1] == (
        60.0, "percent", "other", "none")


# --------------------------------------------------------------------------- issue 17, rec2 (material 1910/1911)
def test_counted_noun_phrases_with_dimensions_acronyms_and_ampersands_class():
    # a dimension ("3D", "6D"), an upper-case word or "Q&A" inside the counted noun phrase of built data
    assert vals("Our corpus ships with labels including 410K 6D hand poses.") == [(410000.0, "count")]
    assert vals("We build a benchmark with over 12k Q\\&A pairs from lectures.") == [(12000.0, "count")]
    # a decimal or a colon right after the build cue leaves the cue in force ("including: (1) ...")
    assert vals("We release a set including 2.1B grasp labels for 61K RGB-D scans.") == [(2.1e9, "count"), (61000.0, "count")]
    assert vals("We curate Fenna, a dialect corpus, including: (1) 310K transcribed utterances.") == [(310000.0, "count")]
    # 3D/CAD models are shape data; frames count data when a capture verb follows
    assert vals("We construct a dataset of 8,214 watertight 3D models.") == [(8214.0, "count")]
    assert vals("The Gale dataset consists of 12,000 radar frames captured by four sensors.") == [(12000.0, "count")]
    assert vals("Our detector runs on 12,000 radar frames.") == []
    # a plural acronym of built items; not hardware or models
    assert vals("We annotated 2,310 ADEs in discharge letters.") == [(2310.0, "count")]
    assert vals("We built a cluster of 1,024 GPUs.") == []


def test_data_the_work_proposes_and_judgements_from_people_class():
    # "we propose X, a collection/dataset ..." presents the work's data: 100+ items anywhere size it
    assert vals("We propose Tarn, the largest collection of spoofing styles so far. It covers 1,120 identities.") == \
        [(1120.0, "count")]
    # judgements given by people are the people of a study the work ran, even in a sentence that evaluates
    assert vals("We evaluate the tagger on benchmarks and with preference votes from 420 volunteers.") == [(420.0, "count")]
    assert vals("We evaluate the tagger on benchmarks and on 420 volunteers.") == []


def test_sources_of_counted_data_are_no_size_class():
    # a count under 100 after "<count> <items> from" names where counted data came from
    assert vals("We release a corpus of 24K quotes from 17 novels.") == [(24000.0, "count")]
    # people counted so stay participants
    assert vals("We release a corpus of 2,400 recordings from 17 speakers.") == [(2400.0, "count"), (17.0, "count")]



def test_the_works_experiments_as_subject_report_results_class():
    # experiments or results as the subject with a verb of showing report the work's results, despite background words
    assert vals("Experiments with three open taggers demonstrate strong recall (F1 up to 0.871) but reveal "
                "challenges on rare dialects.") == [(0.871, "points")]
    # other work's experiments named as such stay background
    assert vals("Prior experiments with taggers reveal challenges, with F1 below 0.6.") == []
    assert vals("Results of earlier taggers show that rare dialects remain challenging, with F1 of 0.61.") == []


def test_halving_a_result_is_a_cut_by_half_class():
    # "halving/halves <result noun>" is a 50% decrease, like "half of"; halving a setting is no claim
    assert [(c.value, c.unit, c.direction) for c in claims_in_text("Our decoder halves the memory footprint.")] == \
        [(50.0, "percent", "decrease")]
    assert vals("On two test sets our tagger ends up halving the word error rate.") == [(50.0, "percent")]
    assert vals("We halve the learning rate every epoch.") == []


def test_a_size_in_brackets_before_the_data_it_sizes_class():
    # "(120K)" right before a data word sizes that data; "limited"/"only" before the bracket make it a cost
    assert kinds("We establish a novel, large-scale (120K) test benchmark for forgeries.") == [(120000.0, "count", "scale")]
    assert kinds("With limited ($4$k) data, our tagger achieves the best F1.") == [(4000.0, "count", "cost")]
    # data evaluated on stays a setting
    assert vals("We evaluate on a large (120K) test benchmark.") == []


def test_parameters_after_a_hyphenated_modifier_class():
    # one hyphenated modifier between the number and "parameters" ("20 task-specific parameters") keeps the unit
    assert vals("Our decoder adds fewer than 20 task-specific parameters.") == [(20.0, "parameters")]
    assert vals("Our adapter tunes 3.1M domain-specific parameters.") == [(3.1, "parameters")]


def test_token_budgets_per_item_class():
    # "N tokens/<item>", "N tokens per <item>" is a token budget spent per item: tokens, kind cost, also under 1,000
    assert kinds("Our encoder keeps F1 while averaging 48 tokens/image.") == [(48.0, "tokens", "cost")]
    assert kinds("Our encoder needs fewer than 3,000 visual tokens per video.") == [(3000.0, "tokens", "cost")]
    # a bare small token count stays a setting
    assert vals("We set the budget to 64 tokens.") == []


def test_an_average_in_brackets_after_a_score_class():
    # "0.97 (0.91 average)": the average beside a best score is a second score, not an interval's end
    assert vals("Our ranker reaches a near perfect 0.97 (0.91 average) rank correlation.") == [(0.97, "points"), (0.91, "points")]
    assert vals("Our ranker reaches 0.97 (0.91, 0.99) rank correlation.") == [(0.97, "points")]


def test_sizes_of_the_works_named_model_and_its_second_size_class():
    # a size in brackets right after the name the abstract gives its own system
    assert vals("This paper introduces a triage tool named Quill-LM. Results show that Quill-LM (7B) achieves an F1 "
                "of 0.82.") == [(7.0, "parameters"), (0.82, "points")]
    # models only evaluated keep their sizes out
    assert vals("Our experiments with Fable-2 (124M) and Orca-1.5 (1.3B) reveal gaps.") == []
    # a second size with "the" after "our <size> <model>" in the same sentence is the work's series
    assert vals("On the dev set, our 3B tagger model reaches 61.2%, while the 7B model reaches 66.0%.") == \
        [(3.0, "parameters"), (61.2, "percent"), (7.0, "parameters"), (66.0, "percent")]
    assert (70.0, "parameters") not in vals("Our 3B model reaches 61.2%, beating the 70B model.")



def test_a_time_cut_by_one_unit_in_words_class():
    # "by a minute" after a cut is one minute (60 s), time taken: kind speed, direction decrease
    assert [(c.value, c.unit, c.kind, c.direction) for c in claims_in_text(
        "Together, our two modules cut the decoding time by a minute on long inputs.")] == [(60.0, "seconds", "speed", "decrease")]
    # "a" before a time unit elsewhere is no number
    assert vals("Our tagger was trained for a day.") == []


def test_sizes_after_its_when_the_subject_is_the_works_named_model_class():
    # "its 3B and 8B variants" in a sentence whose subject is the work's own named model ("the resulting model, dubbed X")
    assert vals("We train the tagger with RL. The resulting model, dubbed Quill, is strong. Overall, Quill gains up to 9.8 "
                "points across its various 3B and 8B model variants.") == \
        [(9.8, "points"), (3.0, "parameters"), (8.0, "parameters")]
    # another model's variants are not the work's
    assert vals("We train the tagger. Overall, Llama gains 9.8 points across its 3B and 8B model variants.") == [(9.8, "points")]


def test_cheap_literal_gates_never_turn_away_a_match():
    # CPU (issue 17 item 4): a gated pattern runs only on windows holding a literal that every one of its matches needs
    from assets.metrics import claims as c

    # one literal per alternative, read from the parsed pattern; an alternative without one lets every window through
    assert c._needed_literals(r"(?:mean )?reciprocal rank|errors?(?: rates?)?|[nN]DCG(?:@\d+)?") == ("DCG", "error", "reciprocal rank")
    assert c._needed_literals(r"AUC|\w+") == ("",)
    gated = [  # (made-up window, pattern, literals as _unitless_mention / _percent_mention / _only_needed pass them)
        ("the Mean Reciprocal Rank of ", c._SCORE_BEFORE, (c._SCORE_WORD_LITERALS, c._SCORE_ACRONYM_LITERALS)),
        ("a BLEU-4 of ", c._SCORE_BEFORE, (c._SCORE_WORD_LITERALS, c._SCORE_ACRONYM_LITERALS)),
        ("its ſcore of ", c._SCORE_BEFORE, (c._SCORE_WORD_LITERALS, c._SCORE_ACRONYM_LITERALS)),  # re.I folds ſ to s
        ("with a Dropout rate of ", c._SETTING_BEFORE, (c._SETTING_LITERALS,)),
        ("the model needs Only ", c._COUNT_ONLY, (c._COUNT_ONLY_LITERALS,)),
    ]
    for window, pattern, literals in gated:
        assert pattern.search(window), window
        assert c._has_literal(window, *literals), window
        assert pattern is not c._SCORE_BEFORE or c._names_a_metric(window), window
    assert not c._has_literal("the model was trained for ", c._SCORE_WORD_LITERALS, c._SCORE_ACRONYM_LITERALS)
    assert not c._names_a_metric("the model was trained for ")


def test_first_character_gates_never_turn_away_a_match():
    # CPU (issue 17 item 4): a pattern tried right after a number runs only when the first non-space character there is
    # one its matches can start with, read from the parsed pattern (spaces, optional parts, lookarounds, re.I, groups)
    import re

    from assets.metrics import claims as c

    assert c._first_chars(re.compile(r"\s?(?:ab|(?i:c)d)")) == frozenset({"a", "c", "C", ""})
    assert c._first_chars(re.compile(r"\s*-?\s*x")) == frozenset({"-", "x", ""})
    assert c._first_chars(re.compile(r"\s?(?:tokens)?")) is c._ANY_START  # may match spaces only: every character
    assert c._first_chars(re.compile(r"[^,\s]")) == frozenset(x for x in c._ANY_START if not x.isspace()) - {","}
    # "" (any other character, the end, or two spaces first) passes every gate
    assert [c._next_char(t, 2) for t in ("12 %", "12%", "12  %", "12 µs", "12")] == ["%", "%", "", "", ""]
    gated = [("the 12 percent", 6, c._U_PCT), ("a 3\u2009× speed-up", 3, c._U_X), ("from 4  to 5", 6, c._RANGE_SEP),
             ("for 3 YEARS", 5, c._U_YEARS), ("with 4-5 GPUs", 6, c._RANGE_SEP), ("7 K", 1, c._U_SUFFIX)]
    for text, e, pattern in gated:  # made-up texts; e: the end of the number
        assert pattern.match(text, e), text
        assert c._next_char(text, e) in c._first_chars(pattern), text


# tenth round (17-prec3, material diff6a): false positives by class, made-up sentences

def test_sizes_and_needs_of_compared_models_class():
    # the models compared with, sized right after them, are theirs; the work's own size stays
    assert vals("Our tagger outperforms general-purpose LLMs of over 300B parameters by up to 7%.") == [(7.0, "percent")]
    assert vals("Our tagger beats all open models in the 9B parameter range on every suite.") == []
    assert vals("It gains 4.1% over the strongest baseline, Alder Embed 2.0 (610M parameters).") == [(4.1, "percent")]
    assert vals("Our largest tagger rivals open models consuming twice the GPU memory.") == []
    assert vals("Our tagger (120M parameters) beats the baseline.") == [(120.0, "parameters")]
    assert vals("It outperforms baselines, and our tagger of 1.3B parameters is small.") == [(1.3, "parameters")]


def test_units_read_wrong_class():
    c = one("Our codec reaches near real-time decoding (150KB/s) on laptops.")
    assert (c.value, c.unit, c.kind) == (150000.0, "other", "speed")  # bytes per second: a rate
    assert vals("We scanned the site densely (>900 pts/m$^2$), beside older scans (30 pts/m$^2$).") == []
    assert vals("The pipeline writes 100s to 1,000s of test cases per repository.") == []  # plural counts, no seconds
    c = one("Our tagger keeps timing errors ranging from 30 to 140 ms across five languages.")
    assert (c.value, c.low, c.unit) == (0.14, 0.03, "seconds")  # the bare end takes the written unit
    assert vals("We release Alder, a 12-trillion-token corpus of filtered pages.") == [(12e12, "tokens")]
    c = one("Our drafter gives a $\\times$1.72 higher acceptance length than pruned drafters.")
    assert (c.value, c.unit) == (1.72, "x")  # the times sign before the number


def test_settings_listed_and_stages_trained_on_class():
    assert vals("We ran both taggers under three temperature settings (0.2, 0.7, 1.5) and report trends.") == []
    assert vals("Our tagger reaches F1 scores (0.81, 0.85, 0.88) on three sets.") == [
        (0.81, "points"), (0.85, "points"), (0.88, "points")]
    assert vals("Base taggers are first trained on 150B tokens with a fixed rate, followed by 30B tokens of worked "
                "solutions with decay.") == []
    assert vals("Evaluations across four suites (8K-1M word contexts) show the tagger's reach.") == []
    assert vals("We build a corpus of 40B tokens, followed by a 2B-token instruction set.") == [(40.0, "tokens"), (2.0, "tokens")]


def test_reference_levels_class():
    assert vals("Our best tagger reaches 38.5% compared to random guessing at 20%.") == [(38.5, "percent")]
    assert vals("While baseline maps hold values beyond the valid range of 0-100%, our network stays inside it.") == []
    assert vals("We find that all taggers perform at chance level (50%) on the probe.") == [(50.0, "percent")]


def test_data_described_not_results_class():
    assert vals("Our rig records 60 runs, each on average 12 seconds, featuring 14 unique parts under glare.") == []
    assert vals("Using our tool, we create a corpus of 40k cases sourced from 96 GitHub repositories.") == [(40000.0, "count")]
    assert vals("On a dataset of 800 essay samples, our tagger scores 15.1/25 in quality.") == [(15.1, "points")]
    assert vals("Our ablations show that our tagger beats Alder on over half of the benchmarks.") == []
    assert vals("We recruited 30 different participants for our study.") == [(30.0, "count")]


def test_examples_and_generic_models_background_class():
    assert vals("Legged robots are getting faster, with platforms like Alder K2 and Birch X3 achieving top speeds "
                "between 4 and 9 m/s. However, cameras blur.") == []
    assert vals("State-of-the-art taggers can have dozens of layers, holding billions of trainable parameters.") == []
    assert vals("Agents like Alder reach 30% on it, while our agent reaches 55%.") == [(30.0, "percent"), (55.0, "percent")]
    # a finite verb reports models the work evaluated: results
    assert vals("Tests of 20 taggers show limits: top taggers like Alder-2 achieve 68% image and 61% text accuracy.") == [
        (68.0, "percent"), (61.0, "percent")]


def test_parts_of_one_claim_class():
    cs = claims_in_text("Our tuning lifts recall by $\\textbf{31.5%$\\rightarrow$70.2%}$ and $\\textbf{77.4$\\rightarrow$91.5%}$.")
    assert [(c.value, c.low, c.unit) for c in cs] == [(70.2, 31.5, "percent"), (91.5, 77.4, "percent")]
    assert vals("Our voting delivers 8.5%, 5.5%, and 4.0% absolute accuracy gains for three taggers.") == [
        (8.5, "points"), (5.5, "points"), (4.0, "points")]
    assert vals("Tests on four suites show our tagger's threefold strength: (1) gains over RAG, (2) speed, (3) reach.") == []
    assert vals("Our tagger gives a threefold speedup: decoding takes 2 seconds.")[0] == (3.0, "x")
    assert vals("Notably, Alder 3B continues to outperform Birch 8B on most suites.") == []
    assert vals("On held-out suites, Quill 3B still wins on four of five.") == []  # an adverb before the verb

def test_data_the_work_evaluates_or_runs_on_class():
    # 17-prec4: a sentence whose main clause is the work evaluating sizes data evaluated on
    assert vals("We evaluate our tracker on a clinical test set of scans from 40 patients, totaling over 900 volumes.") == []
    # a dataset introduced by "on" and sized by a composition word is data run on
    assert vals("In this paper, we study four taggers on an in-house archive dataset comprising 2,400 letters.") == []
    # datasets listed after a use word and a colon
    assert vals("We show gains using two public datasets: the Harbor dataset, featuring 14 indoor scenes.") == []
    # a count right after "on" in a clause that reports a result
    assert (300.0, "count") not in vals("Our planner reaches 71.5% coverage on 300 unseen rooms.")
    # continued pre-training on data is training on data
    assert vals("Our reader is built by continued pre-training on 2.5 million page-caption pairs.") == []
    # built data keeps its size, also in a sentence that evaluates
    assert vals("We evaluate our tagger on our newly collected dataset of 1,200 letters.") == [(1200.0, "count")]
    assert vals("We introduce Quill, a benchmark of 1,200 letters from 30 archives.") == [(1200.0, "count")]


def test_a_few_scenarios_are_a_design_class():
    # 17-prec4: fewer than 50 scenarios of a built benchmark are its design, like categories; the items stay its size
    assert vals("We introduce Tarn, a benchmark with 2,400 clips across 11 household scenarios.") == [(2400.0, "count")]
    assert (120.0, "count") in vals("We introduce Tarn, a benchmark covering 120 driving scenarios.")


def test_a_prevalence_in_a_population_is_background_class():
    # 17-prec4: a share of a population is a statistic of the world, like "of the world's", unless the work's words say otherwise
    assert vals("Migraine affects roughly 12\\% of the general population. We present a diary corpus of 3,000 entries.") == [(3000.0, "count")]
    assert vals("Our screener flags 12% of the population as high risk.") == [(12.0, "percent")]


def test_units_read_from_their_noun_class():
    # 17-prec4: "point" heading a noun compound ("point clouds") is no metric point
    assert vals("We release a corpus of 40 point cloud scans.") != [(40.0, "points")]
    assert vals("Our method gains 2.1 points in F1.") == [(2.1, "points")]
    # the maximum of a rating scale after a slash belongs to the score; "14.9/8.8 mAP" stays a pair of results
    assert vals("Our voice reaches a MOS of 4.2/5.0 vs 3.6/5.0 for the baseline.") == [(4.2, "points"), (3.6, "points")]
    assert vals("Our mapper reaches 41.3/27.5 mAP on the two splits.") == [(41.3, "points"), (27.5, "points")]
    # a decimal or an average of tokens is a length of the work's data, not a score
    assert [(c.value, c.unit) for c in claims_in_text("We present Tarn, whose prompts average 312.4 tokens, validated "
                                                      "for quality by experts.")] == [(312.4, "tokens")]


def test_the_make_up_of_each_item_is_a_composition_class():
    # 17-prec4: a sentence describing each item of the data gives its make-up, not a size or a speed
    assert vals("We release 14 dance clips. Each clip is 12 seconds long and holds 300 frames recorded at 25 frames per second.") == \
        [(14.0, "count")]
    assert (2.0, "seconds") in vals("Each query takes only 2 seconds with our index.")


def test_a_negated_bound_in_words_class():
    # 17-prec4: a word bound under a negation is no level the work states, like "no model scoring >75%"
    assert vals("We test nine taggers; none of them reaches an F1 greater than 40% on rare dialects.") == []
    assert vals("Our tagger not only runs offline but also reaches more than 90% accuracy.") == [(90.0, "percent")]


def test_range_and_from_to_ends_keep_their_unit_class():
    # 17-prec4: the low end of a bit-width range is a bit width too (a setting), not a score after "precision of"
    assert vals("Our codec stores colors at a precision of 8 to 10 bits.") == []
    # a compound angle unit ("deg/m") is one unit, so "from A to B" stays one claim
    c = one("Our tracker cuts the drift from 0.0045 deg/m to 0.0021 deg/m.")
    assert (c.value, c.low) == (0.0045, 0.0021)


def test_a_from_to_with_the_level_of_its_first_end_class():
    # 17-prec4: the level a from-to's first end was measured at ("at depth 2") is an aside: one claim, not two
    c = one("Our parser's accuracy falls from 81% at nesting depth 2 to just 37% at depth 9.")
    assert (c.value, c.low) == (81.0, 37.0)


def test_the_provenance_share_of_the_works_data_class():
    # 17-prec4: "of which N% were written/published ..." gives the make-up of the data, not a result
    assert vals("We gather 2,000 forum posts by hand, of which 40% were written after 2023.") == [(2000.0, "count")]
    # a share of outputs judged by a quality word stays a result
    assert (87.0, "percent") in vals("Our prover writes 500 proofs, of which 87% are valid.")


def test_a_count_split_at_once_for_training_class():
    # 17-prec4: a count split at once into training and held-out parts, with no build word, is the experiment's data
    assert vals("The corpus includes 520 notes, including 420 for training and 100 for testing.") == []
    # the work's own collected data keeps its size
    assert (520.0, "count") in vals("We collected 520 notes, with 420 for training and 100 for testing.")
# ----------------------------------------------------------------------------- tenth round (17-rec3, material diff6a)
def test_multiplication_sign_before_a_ratio_class():
    # "×1.7 faster", "$\times$2.2 higher": the sign before the number writes a ratio, unit x
    assert [(c.value, c.unit, c.kind, c.direction) for c in claims_in_text(
        r"Our decoder runs ×1.7 faster and reaches a $\times$2.2 higher acceptance length.")] == \
        [(1.7, "x", "speed", "increase"), (2.2, "x", "speed", "increase")]
    assert vals(r"Our kernels give $\times$1.4 and $\times$3.1 speedups over the dense baseline.") == [(1.4, "x"), (3.1, "x")]
    # a scale factor as a setting, and a product of sizes, are not ratios
    assert vals("Our network is trained for ×4 super-resolution on 96$\\times$96 crops.") == []


def test_bytes_of_gpu_memory_are_a_memory_figure_class():
    # "under 2GB GPU memory": the memory a run takes, not a hardware description
    c = one("Our compact tagger runs with under 2GB GPU memory at inference.")
    assert (c.value, c.unit, c.unit_scale, c.kind) == (2.0, "bytes", "GB", "memory")
    # a GPU of that size stays hardware
    assert vals("We train the tagger on a single 24GB GPU.") == []


def test_few_tokens_after_a_cue_of_need_class():
    # under 1,000 tokens after only/limited to/as few as: the tokens the work spends, kind cost
    assert [(c.value, c.unit, c.kind) for c in claims_in_text(
        "Our reader matches larger systems with only 480 visual tokens and stays ahead when limited to 120 tokens.")] == \
        [(480.0, "tokens", "cost"), (120.0, "tokens", "cost")]
    # without the cue a small token count is a setting
    assert vals("Each passage is cut into chunks of 256 tokens.") == []


def test_bytes_per_second_are_a_rate_class():
    # "40MB/s", "1.5 GB per second": a throughput, expanded like other rates (unit other, kind speed)
    c = one("Our codec decodes at 40MB/s on a laptop core.")
    assert (c.value, c.unit, c.kind) == (4e7, "other", "speed")
    assert vals("Our loader streams shards at 1.5 GB per second.") == [(1.5e9, "other")]
    assert vals("Our codec saves 3 GB of storage.") == [(3.0, "bytes")]


def test_doubling_a_result_noun_without_article_class():
    # "doubles decoding speed", "triples training throughput": 2x / 3x without "the"
    assert [(c.value, c.unit, c.direction) for c in claims_in_text("Our scheduler doubles decoding speed on long inputs.")] == \
        [(2.0, "x", "increase")]
    assert vals("Our kernel triples training throughput.") == [(3.0, "x")]
    # doubling a setting is none
    assert vals("We doubled batch size for the tagger.") == []


def test_hyphenated_k_count_before_a_built_data_word_class():
    # "we release a 35k-question benchmark": the size of the data the work built, expanded
    assert [(c.value, c.unit, c.kind) for c in claims_in_text("We release a 35k-question reading benchmark.")] == \
        [(35000.0, "count", "scale")]
    # data only evaluated on stays a setting
    assert vals("We evaluate our tagger on a 20K-sentence benchmark.") == []


def test_parameter_count_changed_by_a_size_class():
    # "reducing the number of parameters by 2 billion": parameters (magnitude word or M/B suffix)
    c = one("Our pruning keeps accuracy while reducing the number of parameters by 2 billion.")
    assert (c.value, c.unit, c.kind, c.direction) == (2e9, "parameters", "parameters", "decrease")
    assert vals("Our factorisation cuts the parameter count by 3.5M.") == [(3.5, "parameters")]
    # a bare small number is no size
    assert vals("We scale parameters by 2 in each stage.") == []


def test_performance_improved_by_a_bare_decimal_class():
    # "improves ... performance by 2.41": a bare decimal after "performance ... by" is points
    c = one("Our data filter improves average downstream performance by 2.41 on the suite.")
    assert (c.value, c.unit, c.direction) == (2.41, "points", "increase")


def test_our_named_model_owns_sizes_in_its_bracket_class():
    # "Our proposed Quill-Embed model (90M parameters)": "our" and up to two words before the model word own the bracket
    assert vals("Our proposed Quill-Embed model (90M parameters) gains 4.1 points in MRR.") == \
        [(90.0, "parameters"), (4.1, "points")]
    # models only compared with keep their sizes out
    assert vals("We compare against Fable models (7B, 13B) on the tagging suite.") == []


def test_second_from_to_pair_of_one_change_class():
    # a change verb before a first from-to of decimals governs a second pair joined by "and"
    assert [(c.low, c.value, c.unit) for c in claims_in_text(
        "Fine-tuning lifted its mean precision from 0.31 to 0.74 and its mean rank score from 0.42 to 0.88.")] == \
        [(0.31, 0.74, "points"), (0.42, 0.88, "points")]


def test_build_verb_with_a_dataset_of_n_keeps_items_from_a_named_source_class():
    # "we assemble a dataset of 8k dialogues sourced from the Alder archive": the build verb's dataset is the work's
    assert vals("We assemble a dataset of 8k dialogues sourced from the Alder archive.") == [(8000.0, "count")]
    # data only used from a named source stays a setting
    assert vals("We use a dataset of 8,000 dialogues from the Alder corpus.") == []


def test_series_presented_in_an_appositive_after_its_name_class():
    # "We introduce Quill, a family of ... models (1.5B and 4B)": the work's series, the build verb further back
    assert vals("We introduce Quill, a family of compact open-weight bilingual tagging models (1.5B and 4B) for clinical "
                "notes.") == [(1.5, "parameters"), (4.0, "parameters")]
    # a family the work only evaluates keeps its sizes out
    assert vals("We evaluate Fable 3, a family of open-weight multilingual chat models (8B and 70B), on our tasks.") == []


def test_asterisk_as_times_before_a_comparative_class():
    # "5* fewer FLOPs": an asterisk right after a number and before a comparative is a ratio sign
    c = one("Our tagger needs 5* fewer FLOPs than the dense baseline.")
    assert (c.value, c.unit, c.kind, c.direction) == (5.0, "x", "cost", "decrease")
    # a footnote asterisk elsewhere is none
    assert vals("Table 3* lists further tagger runs.") == []


def test_count_before_a_qa_benchmark_class():
    # "a 9,000-item Q&A benchmark": "Q&A" between the counted noun and the data word
    assert vals("We release a 9,000-item Q&A benchmark for clinical tagging.") == [(9000.0, "count")]



def test_tex_escaped_unit_signs_class():
    # arXiv writes the degree sign "{\deg}" or "$^\circ$" and sometimes the percent sign "$\unicode{x0025}$"
    cs = claims_in_text("Our tracker cuts the heading error by 0.7{\\deg} (Alder) and 1.9{\\deg} (Birch) on two rigs.")
    assert [(c.value, c.unit, c.kind, c.direction) for c in cs] == [
        (0.7, "points", "accuracy", "decrease"), (1.9, "points", "accuracy", "decrease")]
    assert vals("Our rig keeps a median pointing error of 3$^\\circ$ across scenes.") == [(3.0, "points")]
    assert vals("Our probe gains at least 4.5$\\unicode{x0025}$ and 2.25$\\unicode{x0025}$ over Alder.") == [
        (4.5, "percent"), (2.25, "percent")]
    # an angle with no error metric is a setting; a rate "@ N% FAR" is an operating point
    assert vals("The camera is tilted by 30{\\deg} for all our runs.") == []
    assert vals("Our tagger lifts TAR @ 1% FAR by 3.5% over Alder.") == [(3.5, "percent")]


def test_system_at_fps_class():
    cs = claims_in_text("Our module performs lane tracking at 42fps on a phone.")
    assert [(c.value, c.unit, c.kind) for c in cs] == [(42.0, "other", "speed")]
    assert vals("Our tool detects defects at 15 FPS on the line camera.") == [(15.0, "other")]
    assert vals("Our module performs lane tracking at 42fps+ for HD and 9fps on 4K streams.") == [(42.0, "other"), (9.0, "other")]
    assert vals("Input clips are sampled at 2 fps before our tagger reads them.") == []


def test_study_people_in_words_class():
    # people a study is run with, in words, count as in digits ("a user study with 8 teachers"); more person nouns
    assert vals("A first evaluation with eight teachers from two schools rated our tutor as clear.") == [(8.0, "count")]
    assert vals("We ran a pilot study with 14 researchers.") == [(14.0, "count")]
    assert vals("Our tagger serves a language with five hundred million speakers.") == []


def test_units_written_out_and_compounds_class():
    # FLOPs written out are FLOPs; "parameter-X pairs" count pairs, not parameters
    cs = claims_in_text("Our net needs only 0.4 million parameters and 6.1 giga floating-point operations.")
    assert [(c.value, c.unit, c.kind) for c in cs][-1] == (6.1, "other", "cost")
    assert vals("We release a dataset of 12,000 shape parameter-image pairs.") == [(12000.0, "count")]
    assert vals("Our adapter tunes only 9,000 parameters-far fewer than Alder.")[0] == (9000.0, "parameters")


def test_ratio_under_one_with_less_class():
    cs = claims_in_text("Our cache uses 0.3x less memory than Alder.")
    assert [(c.value, c.unit, c.kind, c.direction) for c in cs] == [(0.3, "x", "memory", "decrease")]
    assert vals("The 0.5x setting halves the frames of our clips.") == []


def test_length_or_angle_metric_named_elsewhere_class():
    # a later member after a free phrase keeps the metric of the first; an acronym the abstract defined for an error
    assert vals("Our rig cuts the pointing error by 0.5{\\deg} on Alder in still scenes, and 0.8{\\deg} on Alder "
                "in moving scenes.") == [(0.5, "points"), (0.8, "points")]
    assert vals("We track the head with low pointing error (PE). Across rigs, our tracker lowers PE by more than "
                "1.5{\\deg}.") == [(1.5, "points")]
    # a threshold after "at a" is a setting, not a member
    assert vals("Our tagger reaches a mean error of 1.2 m and 91% recall at a 4 m tolerance.") == [
        (1.2, "points"), (91.0, "percent")]


def test_error_from_to_in_brackets_and_ranges_class():
    cs = claims_in_text("Our tracker cuts the pointing error by 20% on Alder (from 1.7 cm to 1.4 cm).")
    assert [(c.value, c.low, c.unit) for c in cs] == [(20.0, None, "percent"), (1.7, 1.4, "points")]
    assert vals("Our maps reach RMSEs ranging from 1.2 m to 6.5 m across regions.") == [(6.5, "points")]



# Eleventh round (17-prec5, material 1914/1915): false positives by class; every sentence below is made up.
def test_parts_of_a_stated_total_class():
    assert vals("Our corpus holds 500 notes: 250 discharge notes and 250 synthetic notes written by a tagger.") == [
        (500.0, "count")]
    assert vals("We build Alder, a set of 12,000 posts. Alder includes human-written posts (2,100 posts) and generated "
                "posts (9,900 posts).") == [(12000.0, "count")]
    assert vals("We release Birch, which comprises 90k street images. 30K street images are labelled by hand, while the "
                "remaining 60K are labelled by our tool.") == [(90000.0, "count")]
    assert vals("Our benchmark comprises 12,000 pairs, including a held-out test set of 2,000 instances.") == [
        (12000.0, "count")]
    # two parts with no total stated stay sizes
    assert vals("We build our set in two parts. The first part included 900 synthetic scans generated by our tool. "
                "The second part included 400 scans collected by us.") == [(900.0, "count"), (400.0, "count")]


def test_restated_quantity_in_brackets_class():
    assert vals("Our tagger finishes the run in 4 hours (approximately 14,400 seconds) on a laptop.") == [(14400.0, "seconds")]
    assert vals("We collect recordings over several years, with the longest span reaching 12 years (about 620 weeks).") \
        in ([], [(378432000.0, "seconds")])  # the weeks say the years again: no claim of their own
    assert vals("Our tagger saves 2 GB (about 2,000 MB) of memory.") == [(2.0, "bytes")]
    # another amount in the bracket is a claim of its own
    assert vals("Our tagger finishes the run in 4 hours (2 hours on two GPUs).") == [(14400.0, "seconds"), (7200.0, "seconds")]


def test_use_verb_over_a_list_of_counts_class():
    assert vals("Drawing on 3,000 expert notes, 2,800 crowd annotations, and 3,100 model annotations, we measure "
                "agreement.") == []
    assert vals("We collect 3,000 expert annotations and 2,800 crowd annotations for our corpus.") == [
        (3000.0, "count"), (2800.0, "count")]


def test_count_given_for_each_item_class():
    assert vals("We curate 40 planning tasks, each with over 300 diverse questions.") == []
    assert vals("We curate a corpus of 4,000 diverse questions for planning.") == [(4000.0, "count")]


def test_negated_bound_class():
    assert vals("We test 12 taggers, with even the best ones unable to exceed 45% accuracy.") == []
    assert vals("Strong baselines fail to exceed 61% accuracy on our suite.") == []
    assert vals("Our tagger exceeds 61% accuracy on the suite.") == [(61.0, "percent")]


def test_input_count_is_a_setting_class():
    assert vals("Our renderer works from as few as three unposed input images.") == []
    assert vals("Our renderer needs only 3 input views per scene.") == []
    assert vals("Our tagger needs only 40 labelled images.") == [(40.0, "count")]


def test_data_processed_or_analyzed_class():
    assert vals("A total of 80 clinical cases were processed.") == []
    assert vals("A total of 80 clinical cases were collected.") == [(80.0, "count")]
    assert vals("A set of 640 retinal scans was analyzed with our tool.") == []
    # people counted so stay participants
    assert vals("Speech from 1,200 children aged 5-9 years was analyzed.")[0] == (1200.0, "count")


def test_corpus_size_trained_on_class():
    assert vals("Our tagger is pre-trained on a 20GB curated corpus of news.") == []
    assert vals("Our tagger saves 20GB of memory.") == [(20.0, "bytes")]


def test_number_grammar_eleventh_round_class():
    assert vals("Our tagger gains 4.2$\\unicode{x0025}$ in recall.") == [(4.2, "percent")]
    cs = claims_in_text("Our tagger achieves a $2\\%$ to $6\\%$ gain in recall.")
    assert [(c.value, c.low, c.unit) for c in cs] == [(6.0, 2.0, "percent")]
    assert vals("We learn the regions of a 3-dimensional parameter space with our classifier.") == []
    assert vals("We build a set of 5,000 shape parameter-image pairs.") == [(5000.0, "count")]
    assert vals("Our tagger tunes only 9,000 parameters-far fewer than prior work.")[0] == (9000.0, "parameters")
    assert vals("Our matcher reaches TAR @ 1% FAR gains of 3.2%.") == [(3.2, "percent")]


def test_models_validated_on_class():
    assert vals("We validate these findings via ablations on two open taggers models: one with 1.2B and another with "
                "6B parameters.") == []
    # the work's own models ablated keep their sizes
    assert vals("We validate the design via ablations on our tagger models: one with 1.2B and another with 6B parameters.") \
        == [(6.0, "parameters")]


def test_metric_bound_and_coefficient_letter_class():
    """A bound sign after a metric name in a result position and a coefficient's letter are scores (17-bound)."""
    # a bracket of bounds after a result, a verb of result, a list of such bounds
    assert vals("The Quill decoder restores the scans faithfully (PSNR > 31 dB, LPIPS < 0.08).") == [
        (31.0, "points"), (0.08, "points")]
    assert vals("Quill keeps its quality on long notes (SSIM $>$ 0.91; MAE $<$ 0.012).") == [(0.91, "points"), (0.012, "points")]
    assert vals("Quill reaches AUC $\\geq$ 0.85 and F1 > 0.8 on all twelve tasks.") == [(0.85, "points"), (0.8, "points")]
    assert vals("The Quill tagger attains high recall (F1 > 91%) on the Birch corpus.") == [(91.0, "percent")]
    assert vals("With 5K indexed notes, Quill achieves P@5 >= 0.71 and R@20 >= 0.64.") == [(0.71, "points"), (0.64, "points")]
    # coefficient letters with a correlation or agreement word before them
    assert vals("Inter-rater agreement on the Quill labels was high (κ = 0.81).") == [(0.81, "points")]
    assert vals("Quill's scores are strongly correlated with expert ratings (r = 0.88).") == [(0.88, "points")]
    assert vals("The Quill survey showed good internal consistency (Cronbach's $\\alpha$ = 0.84).") == [(0.84, "points")]
    assert vals("Quill correlates with human rankings, with an average $\\rho$ = 0.77 $\\pm$ 0.05.") == [(0.77, "points")]
    # a later letter of the sentence, far from the correlation word
    assert vals("The Quill grader shows strong correlation with the reference pipeline at both the single-answer level "
                "(r=0.72) and the whole-benchmark level (r=0.93).") == [(0.72, "points"), (0.93, "points")]
    cs = claims_in_text("Quill's judge agrees with raters at a lower level (Cronbach's $\\alpha$ = 0.61).")
    assert [(c.kind, c.direction) for c in cs] == [("accuracy", "none")]  # a level, no change
    # bounds that select, condition or qualify, tests and settings stay none
    assert vals("Quill pairs with a quality score below 0.5 are filtered out before training.") == []
    assert vals("We keep only Quill pairs with CLIP score > 0.3 for training.") == []
    assert vals("Differences between Quill variants were significant at a threshold of p < 0.05.") == []
    assert vals("Quill uses a contrastive loss with temperature τ = 0.07 and weight λ = 0.1.") == []
    assert vals("We report Quill's mean average precision at IoU > 0.5 on the Alder set.") == []
    assert vals("We bound Quill's layout edits (e.g., IoU >= 0.6) to keep them plausible.") == []
    assert vals("The Quill gain was large (Mann-Whitney U test: p < 0.001, effect size r = 0.41).") == []
    assert vals("We fine-tune Quill with LoRA rank r = 8 and alpha = 0.5.") == []
    assert vals("Earlier audits found promising results on open models like Alder (AUC > 80%).") == []


# ---- 17-count5: counts that size what the work built or ran (made-up sentences)
def test_coordinated_adjectives_between_count_and_noun_class():
    assert vals("We curate 1,200 varied and realistic logic puzzles for the Quill set.") == [(1200.0, "count")]
    assert vals("We build a corpus of 450 noisy, hand-checked receipts.") == [(450.0, "count")]
    assert vals("Our Quill set holds 160 paired daytime and nighttime photos.") == [(160.0, "count")]
    # "challenging" right after a count is the adjective of the material, no predicate of a hard problem
    assert vals("We collect 900 challenging, unambiguous riddles.") == [(900.0, "count")]
    # a plural noun before "and" ends the counted phrase: no count of people here
    assert vals("We collect notes from 12 hospitals and patients of the region.") == []


def test_build_verbs_craft_synthesise_assemble_class():
    assert vals("Three editors hand-craft 640 riddles for the Quill benchmark.") == [(640.0, "count")]
    assert vals("We synthesize 30,000 dialogues with a template engine.") == [(30000.0, "count")]
    assert vals("We write 800 hand-checked logic puzzles.") == [(800.0, "count")]
    # another's writing is no data the work built
    assert vals("A novelist who wrote 900 short stories inspired our tagger.") == []


def test_plus_and_slash_after_counts_class():
    assert vals("We release Quill, a set of 12k+ annotated frames.") == [(12000.0, "count")]
    assert vals("We release a benchmark of over 6K spam/non-spam message pairs.") == [(6000.0, "count")]
    assert vals("The Quill corpus spans 320+ hours of read speech that we recorded.") == [(1152000.0, "seconds")]
    # a size bound of models evaluated is no count
    assert vals("We assess open models (ranging from 2B to 70B+ parameters) on Quill.") == []


def test_human_effort_hours_are_cost_class():
    c = claims_in_text("Four linguists spent over 250 hours labelling the Quill corpus.")
    assert [(x.value, x.unit, x.kind) for x in c] == [(900000.0, "seconds", "cost")]
    c = claims_in_text("With 120+ hours of expert effort, we write 2,000 riddles.")
    assert [(x.value, x.unit, x.kind) for x in c][0] == (432000.0, "seconds", "cost")
    # a duration of data stays a size
    assert [(x.unit, x.kind) for x in claims_in_text("We record 500 hours of child speech.")] == [("seconds", "scale")]


def test_reach_of_a_challenge_the_work_ran_class():
    assert vals("The Quill challenge attracted 210 participating teams and received 1,450 submissions.") == [
        (210.0, "count"), (1450.0, "count")]
    assert vals("We received 900 submissions from 61 teams.") == [(900.0, "count"), (61.0, "count")]
    assert vals("The workshop drew 85 registrants, with 19 teams submitting final runs.") == [(85.0, "count"), (19.0, "count")]
    # counts of others beaten or things received that are no participation
    assert vals("Our run outperformed submissions from 14 other teams.") == []
    assert vals("The Quill paper received 40 citations.") == []


def test_runs_of_a_study_the_work_ran_class():
    assert vals("We ran 4,800 simulated trials of the Quill controller.") == [(4800.0, "count")]
    assert vals("By simulating over 3,100 debates, we study how Quill agents shift stances.") == [(3100.0, "count")]
    assert vals("We conduct 920 experiments across four tagging tasks.") == [(920.0, "count")]
    # an evaluation protocol or a few experiments stay settings
    assert vals("Results of Quill are averaged over 200 runs.") == []
    assert vals("We conduct 12 experiments with Quill.") == []


def test_size_glued_in_a_trained_name_class():
    # the verb right before the bare name, or a passive / appositive training verb after it
    assert vals("We fine-tune Quill-2-13B-Chat on our dialogue logs.") == [(13.0, "parameters")]
    assert vals("Fine-tuning Wren-VL-7B with our reward raises recall.") == [(7.0, "parameters")]
    assert vals("All agents are fine-tuned from Heron-3-8B-Instruct with LoRA.") == [(8.0, "parameters")]
    assert vals("Wren-7B-Base is pre-trained on curated tagging logs.") == [(7.0, "parameters")]
    assert vals("Heron-32B, fine-tuned on the refined traces, matches the teacher.") == [(32.0, "parameters")]
    assert vals("We train Quill-7B and Birch-3B on the new logs.") == [(7.0, "parameters"), (3.0, "parameters")]
    # only named, evaluated, or "the/a X-7B model" after the verb: a name
    assert vals("We evaluate Quill-2-13B-Chat on our dialogue logs.") == []
    assert vals("Our tagger beats Wren-VL-7B on every split.") == []
    assert vals("By training the Wren-VL-7B model on maps, our tagger improves.") == []
    assert vals("We use the pre-trained Heron-8B as a frozen encoder.") == []


def test_own_model_sized_again_class():
    # the work's own name before a size
    assert vals("We introduce Quill, a tagger for field notes. Notably, Quill 3B surpasses larger taggers.") \
        == [(3.0, "parameters")]
    assert vals("We introduce Quill, a tagger for field notes. Quill beats Birch 3B on every split.") == []
    # "the NB model" after the work's own model of that size
    cs = vals("We release Quill, a family of taggers (1.5B and 4.5B). The 4.5B parameter model leads the board, "
              "while the 1.5B model stays close.")
    assert cs.count((1.5, "parameters")) == 2
    assert vals("Our tagger is faster, while the 7B model of prior work stays slow.") == []
    # a from-to after a verb of scaling
    cs = claims_in_text("We scale the tagger from 0.1B to 3B and keep its gains.")
    assert [(c.value, c.low, c.unit) for c in cs] == [(3.0, 0.1, "parameters")]
    assert vals("We evaluate 40 taggers at parameter scales from 0.5B to 70B.") == []
    # the active share of a mixture-of-experts model before its total
    assert vals("Quill is a mixture-of-experts tagger with 3B activated and 30B total parameters.") \
        == [(3.0, "parameters"), (30.0, "parameters")]


def test_comparative_after_absolute_unit_class():
    # 17-widen: a comparative right after the unit gives the direction as worded
    assert vals_dir("Quill scores 4.1 points higher than the strongest baseline on the Heron benchmark.") \
        == [(4.1, "points", "increase")]
    assert vals_dir("Our tagger is 2.5 points better than Wren on average.") == [(2.5, "points", "increase")]
    assert vals_dir("Our tagger yields 1.5 points lower WER than Wren.") == [(1.5, "points", "decrease")]
    assert vals_dir("The distilled tagger gets 0.7 BLEU worse than the teacher but runs on a phone.") \
        == [(0.7, "points", "decrease")]


def test_length_or_angle_opening_an_error_compound_class():
    # 17-widen: an error noun heading the compound the unit opens names the metric, like "an error of 2.4 degrees"
    assert vals("The Alder probe keeps a 2.4 degree heading error on the test track.") == [(2.4, "points")]
    assert vals("Our tracker reaches a 1.8 deg mean angular error on the Birch set.") == [(1.8, "points")]
    assert vals("Our filter keeps a 0.4 mm attitude deviation over the whole run.") == [(0.4, "points")]
    # a bound the work sets, and an angle with no error named, stay settings
    assert vals("We count a pose as correct within a 5 cm error tolerance.") == []
    assert vals("The Wren arm is tilted by 30 degrees before each grasp.") == []


def test_fraction_words_as_percents_class():
    # 17-widen: fractions in words are percents like "half": the amount of a change after "by" ...
    assert vals_dir("Our pruning cuts the latency of the Quill detector by two thirds while keeping its accuracy.") \
        == [(66.67, "percent", "decrease")]
    assert vals_dir("We reduce the memory of the tagger by a third with no loss in quality.") == [(33.33, "percent", "decrease")]
    assert vals_dir("The Wren planner lowers the energy use by three quarters.") == [(75.0, "percent", "decrease")]
    # ... or a share of a resource after a word of need
    assert vals("Quill needs only one-tenth of the labelled samples that Alder uses.") == [(10.0, "percent")]
    assert vals("Quill activates just a quarter of the parameters of Birch.") == [(25.0, "percent")]
    # a share of a population, a third party, a time, an ordinal: none
    assert vals("Over a quarter of farmers use such apps every week.") == []
    assert vals("The tool was built by a third party. The third stage is slow.") == []
    assert vals("Quill cuts the delay by a tenth of a second.") == []


def test_flops_from_to_with_glued_suffix_class():
    # 17-widen: a from-to of FLOPs with a glued G/M/T suffix is one cost claim, values as written
    def ft(t):
        return [(c.value, c.low, c.unit, c.kind, c.direction) for c in claims_in_text(t)]
    assert ft("The Wren backbone cuts the compute from 40G to 0.5G FLOPs.") == [(40.0, 0.5, "other", "cost", "decrease")]
    assert ft("Our search lowers the FLOPs of the Heron network from 12.5G to 1.2G at a small loss.") \
        == [(12.5, 1.2, "other", "cost", "decrease")]
    assert ft("The Wren backbone cuts the compute from 40M to 5M FLOPs.") == [(40.0, 5.0, "other", "cost", "decrease")]
    # no FLOPs named: no claim from the glued letters
    assert ft("The tagger moves from 5G to 6G networks.") == []


def test_bound_sign_before_a_number_with_its_metric_after_class():
    # 17-widen: a bound sign, then the number, then the metric's name, in a result position
    assert vals("The Alder recogniser reaches <2% WER on the Birch corpus.") == [(2.0, "percent")]
    assert vals("The Alder recogniser writes clean transcripts (<2% WER) without tuning.") == [(2.0, "percent")]
    assert vals("The Quill tracker keeps $<$0.5 m error on all tracks.") == [(0.5, "points")]
    # a selection, a negated bound, a bound on data: none
    assert vals("We keep only samples with <5% WER.") == []
    assert vals("No tagger reaches >75% accuracy on Birch.") == []
    assert vals("Models trained with <10% labelled data lose accuracy.") == []


def test_case_insensitive_scans_on_lower_case_find_the_same_spans():
    # CPU (issue 17 item 4): the number-word scans run case-sensitively on the lower-cased sentence (faster); the spans are
    # those of the re.I pattern, and a sentence with a letter re.I folds otherwise (ſ ı İ) is scanned as written
    from assets.metrics import claims as c

    for sent in ("We Collected Two Million images and tens to hundreds of thousands of clips.",
                 "The rig is Five Times faster, halving the latency of ſeveral THOUSAND runs."):
        for pattern, lowered in ((c._WORD_QTY, c._WORD_QTY_LOWER), (c._WORD_X, c._WORD_X_LOWER),
                                 (c._VAGUE_RANGE, c._VAGUE_RANGE_LOWER)):
            assert [m.span() for m in c._finditer_lower(pattern, lowered, sent)] == [m.span() for m in pattern.finditer(sent)]
    assert vals("We Collected Two Million images and tens to hundreds of thousands of clips.") == [(2e6, "count")]
