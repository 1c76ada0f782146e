from importlib import resources

import yaml

from parley.ontology.cues import load_cues


class _NoDuplicates(yaml.SafeLoader):
    """A YAML loader that refuses a key written twice in one mapping (PyYAML keeps the last silently)."""


def _mapping(loader, node, deep=False):
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    assert not twice, f"keys written twice: {twice}"
    return loader.construct_mapping(node, deep=deep)


_NoDuplicates.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def test_cue_and_lexicon_files_write_each_key_once():
    for name in ("cues.yaml", "lexicon.yaml"):
        text = resources.files("parley.ontology").joinpath(name).read_text("utf-8")
        yaml.load(text, Loader=_NoDuplicates)


def test_crowds_of_ordinary_people_are_crowds():
    cues = load_cues()
    assert cues.group_nouns["farmer"] in cues.crowd_sectors
    assert cues.group_nouns["soldier"] not in cues.crowd_sectors
