"""The search engine without a database: segmentation, paraphrase matching, masks and highlighting."""

import pytest

from hotline.knowledge import highlight, search
from hotline.knowledge.search import Analysed, BaselineIndex, Doc, SearchIndex

DOCS = [
    Doc(id=1, title="企业复工复产有哪些扶持政策", answer="对受疫情影响的中小微企业减免房租三个月。"),
    Doc(id=2, title="社保卡丢失如何补办", answer="携带身份证到任一社保经办网点挂失补办，当场制卡。",
        questions=("社会保障卡掉了怎么办",)),
    Doc(id=3, title="住房公积金提取条件", answer="购房、租房、退休等情形可以提取住房公积金。"),
    Doc(id=4, title="路灯不亮找哪个部门", answer="城区路灯由市城管执法局路灯管理所负责维修。"),
]


def test_it_finds_a_paraphrase_with_words_in_another_order():
    index = SearchIndex.build(DOCS)
    assert index.search("复产复工的企业能享受什么扶持", k=3)[0].id == 1


def test_it_matches_a_question_form_as_well_as_the_title():
    index = SearchIndex.build(DOCS)
    assert index.search("社会保障卡掉了", k=3)[0].id == 2


def test_it_returns_nothing_for_a_query_sharing_no_text():
    index = SearchIndex.build(DOCS)
    assert index.search("ＸＹＺ", k=3) == []
    assert index.search("", k=3) == []


def test_it_keeps_masked_documents_out():
    index = SearchIndex.build(DOCS)
    mask = [d.id != 3 for d in DOCS]
    import numpy as np

    assert all(h.id != 3 for h in index.search("公积金提取", k=4, mask=np.array(mask)))


def test_it_keeps_added_names_whole():
    search.add_words(["双清区城管局"])
    assert "双清区城管局" in search.words("双清区城管局的电话是多少")


def test_it_drops_question_words_that_say_nothing_about_the_subject():
    assert "如何" not in search.words("社保卡如何补办")
    assert "社保卡" in search.words("社保卡如何补办")


def test_the_baseline_ranks_by_plain_bm25():
    baseline = BaselineIndex(DOCS)
    assert baseline.search("住房公积金", k=2)[0].id == 3


def test_it_marks_matches_and_escapes_everything_else():
    found = highlight.terms("社保卡补办")
    marked = highlight.mark("<b>社保卡</b>丢失补办", found)
    assert marked == "&lt;b&gt;<mark>社保卡</mark>&lt;/b&gt;丢失<mark>补办</mark>"


def test_it_cuts_a_snippet_around_the_first_match():
    text = "前言" * 100 + "住房公积金提取" + "后文" * 100
    cut = highlight.snippet(text, highlight.terms("公积金"), size=40)
    assert cut.startswith("…") and cut.endswith("…")
    assert "<mark>公积金</mark>" in cut


def test_the_fast_query_vector_equals_scikit_learns():
    from sklearn.preprocessing import normalize

    space = SearchIndex.build(DOCS).grams
    for query in ("社保卡丢了怎么补办？", "Ａ区2026年复工复产补贴", "住房公积金提取条件提取条件"):
        expected = normalize(space.idf.transform(space.hasher.transform([query])))
        columns, weights = space.vector(query)
        got = dict(zip(columns.tolist(), weights.tolist(), strict=True))
        want = dict(zip(expected.indices.tolist(), expected.data.tolist(), strict=True))
        assert got.keys() == want.keys()
        assert all(abs(got[k] - want[k]) < 1e-5 for k in want)


def test_the_word_cosine_is_tf_idf_cosine_worked_by_hand():
    # Two documents, 甲乙 and 甲丙: idf(甲) = ln(3/3) + 1 = 1, idf(乙) = idf(丙) = ln(3/2) + 1 = 1.4055 (smoothed), so
    # each document's unit vector has 1 / 1.7249 on 甲 and 1.4055 / 1.7249 on its own word.
    space = search.WordSpace(["甲 乙", "甲 丙"])
    assert space.scores(["乙"], 2).tolist() == pytest.approx([1.4055 / 1.7249, 0.0], abs=1e-4)
    assert space.scores(["甲"], 2).tolist() == pytest.approx([1 / 1.7249, 1 / 1.7249], abs=1e-4)
    assert space.scores(["丁"], 2).tolist() == [0.0, 0.0]  # a word no document has


# A message about a broken street light, and replies whose words are given (no segmenting, no titles: only the word
# BM25 and the word cosine count). Reply 0 is short and all its words are the message's; reply 1 shares four of the
# message's words but is mostly about something else (theft, tendering). BM25 sums the matched words and puts reply 1
# first (normalised 0.92 against 1); the cosine sees that most of reply 1 is not the message (0.58 against 0.41). With
# the weights 0.5 and 1.0: 0.5 × 0.92 + 0.58 = 1.04 against 0.5 × 1 + 0.41 = 0.91, so reply 0 comes first.
MESSAGE = "小区路灯损坏，夜间出行不便，请派人维修"
FILLER = "电缆 被盗 更换 报警 公安 立案 调查 施工 单位 赔偿 费用 审批 采购 招标 工期 预算 财政 拨付 验收 合同"
REPLIES = ["路灯 维修", f"小区 路灯 损坏 夜间 维修 {FILLER}", "公积金 提取 条件 购房 租房", "社保卡 补办 网点 身份证",
           "噪音 扰民 施工 夜间 执法", "学校 招生 入学 户籍 材料"]


def _replies(weights):
    docs = [Doc(id=i, title="", answer="") for i in range(len(REPLIES))]
    return SearchIndex.build(docs, [Analysed(head="", answer=a) for a in REPLIES], weights=weights)


def test_it_ranks_the_reply_about_the_message_above_one_that_only_shares_its_words():
    assert [h.id for h in _replies(search.WEIGHTS).search(MESSAGE, k=6)] == [0, 1, 4]


def test_the_previous_ranking_put_the_longer_reply_first():
    assert [h.id for h in _replies(search.PREVIOUS_WEIGHTS).search(MESSAGE, k=6)] == [1, 0, 4]


def test_each_part_of_the_fused_score_is_what_the_comment_says():
    index = _replies(search.WEIGHTS)
    tokens = search.words(MESSAGE)
    bm25 = search._normalised(search._bm25_scores(index.word_model, index.word_postings, tokens))
    cosine = index.word_space.scores(tokens, len(REPLIES))
    assert bm25[:2].tolist() == pytest.approx([0.92, 1.0], abs=0.01)
    assert cosine[:2].tolist() == pytest.approx([0.58, 0.41], abs=0.01)
    assert index.scores(MESSAGE).tolist() == pytest.approx((0.5 * bm25 + cosine).tolist(), abs=1e-5)


def test_a_long_query_is_ranked_without_the_word_bm25_and_a_short_one_with_it():
    import numpy as np

    index = SearchIndex.build(DOCS)
    short = "路灯不亮找哪个部门"
    long = "我家楼下的路灯已经坏了很久，晚上出门非常不方便，老人孩子经常摔跤，" * 2
    assert len(short) < search.LONG_QUERY <= len(long)
    assert index.weights_for(short) == search.WEIGHTS and index.weights_for(long) == search.LONG_WEIGHTS
    assert search.LONG_WEIGHTS.word_bm25 == 0
    tokens, n = search.words(long), len(DOCS)
    expected = (search.LONG_WEIGHTS.head_grams * index.grams.scores(long, n)
                + search.LONG_WEIGHTS.word_cosine * index.word_space.scores(tokens, n)
                + search.LONG_WEIGHTS.article_grams * index.article_grams.scores(long, n))
    assert search.LONG_WEIGHTS.article_grams > 0 and search.WEIGHTS.article_grams == 0
    assert index.article_grams.scores(long, n).any()
    assert np.allclose(index.scores(long), expected)
    single = SearchIndex.build(DOCS, long_weights=None)
    assert single.weights_for(long) == search.WEIGHTS
    assert not np.allclose(single.scores(long), index.scores(long))


def test_keeping_the_heaviest_grams_keeps_each_rows_largest_entries():
    import numpy as np
    from scipy import sparse

    rows = [[0.1, 0.5, 0.0, 0.3, 0.2], [0.0, 0.0, 0.4, 0.0, 0.0], [0.6, 0.1, 0.2, 0.0, 0.0]]
    matrix = sparse.csr_matrix(np.array(rows, dtype=np.float32))
    kept = search._keep_heaviest(matrix, 2).toarray()
    assert np.allclose(kept, [[0, 0.5, 0, 0.3, 0], [0, 0, 0.4, 0, 0], [0.6, 0, 0.2, 0, 0]])
    assert search._keep_heaviest(matrix, 4) is matrix  # no row has more: nothing to cut


ARTICLES = ["住房公积金提取需要身份证和购房合同，到公积金中心窗口办理",
            "路灯损坏请拨打城管热线，维修一般在三个工作日内完成",
            "社保卡丢失后到银行网点挂失补办，需带身份证",
            "公积金贷款额度按缴存余额计算，最高不超过六十万元"]


def test_the_whole_article_grams_are_tf_idf_cosine_when_nothing_is_cut_and_chunks_change_nothing():
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    vectorizer = TfidfVectorizer(analyzer=search.char_grams, sublinear_tf=True)
    matrix = normalize(vectorizer.fit_transform(ARTICLES))
    query = "公积金提取要带什么材料"
    expected = (matrix @ normalize(vectorizer.transform([query])).T).toarray().ravel()
    whole = search.GramSpace.pruned(ARTICLES, keep=10_000)
    assert np.allclose(whole.scores(query, len(ARTICLES)), expected, atol=1e-5)
    one_by_one = search.GramSpace.pruned(ARTICLES, keep=10_000, chunk=1)
    assert np.allclose(one_by_one.scores(query, len(ARTICLES)), expected, atol=1e-5)
    assert search.GramSpace.pruned([], keep=10).scores(query, 0).size == 0


def test_the_whole_article_view_keeps_each_articles_heaviest_grams_and_ignores_grams_no_article_has():
    import numpy as np

    cut = search.GramSpace.pruned(ARTICLES, keep=5)
    assert (np.bincount(cut.head.indices, minlength=len(ARTICLES)) == 5).all()  # term-major: columns are articles
    query = "公积金提取"
    with_unknown = query + "，鳄鱼"  # grams no article has change neither the ranking nor the scale
    assert np.allclose(cut.scores(query, len(ARTICLES)), cut.scores(with_unknown, len(ARTICLES)))
