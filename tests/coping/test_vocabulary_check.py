"""Strategy ids for senses, places and kit match the shared sensory vocabulary (seam 5)."""

from app.coping import vocabulary
from app.coping.library import load_library


def test_library_uses_only_known_senses_places_and_kit() -> None:
    for s in load_library().strategies:
        assert set(s.systems) <= set(vocabulary.SYSTEMS), s.id
        assert set(s.places) <= set(vocabulary.PLACES), s.id
        assert set(s.needs) <= set(vocabulary.KIT_ITEMS), s.id


def test_coping_vocabulary_agrees_with_the_sensory_domain() -> None:
    from app.sensory import vocabulary as sensory

    assert set(vocabulary.SYSTEMS) == set(sensory.SENSORY_SYSTEMS)
    assert set(vocabulary.KIT_ITEMS) == set(sensory.KIT_ITEMS)
    assert set(vocabulary.PLACES) == set(sensory.PLACES)
    assert tuple(vocabulary.TIME_AVAILABLE) == tuple(sensory.TIME_AVAILABLE) == (1, 5, 15)
    # The ids the clinical content was written against (seam 5): a rename must be deliberate.
    assert set(vocabulary.SYSTEMS) == {
        "visual",
        "auditory",
        "tactile",
        "proprioceptive",
        "vestibular",
        "olfactory",
        "gustatory",
        "interoceptive",
    }
    assert {
        "cold_pack",
        "ice",
        "weighted_blanket",
        "headphones",
        "paper_pen",
        "playing_cards",
    } <= set(vocabulary.KIT_ITEMS)
