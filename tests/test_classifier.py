import pytest
import torch

from utils import classifier, data


def test_shipped_classifier_is_accurate_on_held_out_split():
    m = data.mnist5k()
    clf = classifier.load_classifier()
    acc = classifier.accuracy(clf, m.test.x, m.test.y)
    assert acc >= 0.97
    assert not any(p.requires_grad for p in clf.parameters())


def test_feature_extractor_shape():
    fe = classifier.FeatureExtractor(classifier.load_classifier())
    assert fe(torch.rand(4, 1, 28, 28)).shape == (4, classifier.FEATURES)
    assert fe.num_features == 64


def test_training_script_writes_a_checkpoint(tmp_path, capsys):
    out = tmp_path / "clf.pt"
    classifier.main(["--epochs", "1", "--out", str(out)])
    assert out.exists() and "held-out accuracy" in capsys.readouterr().out
    state = torch.load(out, weights_only=True)
    assert state["epochs"] == 1 and 0.5 < state["test_accuracy"] <= 1
    state = torch.load(out, weights_only=True)
    mine, shipped = classifier.load_classifier(out), classifier.load_classifier()
    # the new checkpoint's own weights are what load_classifier(out) returns, not the shipped ones
    for k, v in mine.state_dict().items():
        assert torch.equal(v, state["model"][k])
    assert any(not torch.equal(v, shipped.state_dict()[k]) for k, v in mine.state_dict().items())
    # each call returns its own copy: editing one leaves the next call untouched
    with torch.no_grad():
        next(mine.parameters()).add_(1.0)
    again = classifier.load_classifier(out)
    assert torch.equal(next(again.parameters()), state["model"][next(iter(state["model"]))])


def test_missing_checkpoint_says_how_to_regenerate(tmp_path):
    with pytest.raises(FileNotFoundError, match="make classifier"):
        classifier.load_classifier(tmp_path / "none.pt")
