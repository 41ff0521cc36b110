"""A Hypothesis state machine over modules, optimizers and checkpoints: grow the model, train, save,
load into fresh objects, and check that no parameter or optimizer state is ever lost or silently
reset. A twin that never goes through a file takes the same steps; the two must agree bit for bit."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import autograd as ag
import nn
import nn.functional as F

WIDTH = 3


def _build(layers: int) -> nn.Sequential:
    return nn.Sequential(*[nn.Linear(WIDTH, WIDTH, dtype=np.float64) for _ in range(layers)])


def _copy_into(model: nn.Module, state: dict[str, ag.Tensor]) -> None:
    model.load_state_dict({k: v.clone() for k, v in state.items()}, strict=False)


class Checkpoints(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.dir = Path(tempfile.mkdtemp())
        self.saves = 0
        self.layers = 1
        self.model, self.twin = _build(1), _build(1)
        _copy_into(self.twin, self.model.state_dict())
        self.opt = nn.optim.Adam(self.model.parameters(), lr=0.05)
        self.twin_opt = nn.optim.Adam(self.twin.parameters(), lr=0.05)
        self.expected = {k: v.clone() for k, v in self.model.state_dict().items()}

    def teardown(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    @rule()
    def add_layer(self) -> None:
        """A new layer at the end; the old layers keep their values, the optimizers start afresh."""
        old = self.model.state_dict()
        self.layers += 1
        self.model, self.twin = _build(self.layers), _build(self.layers)
        _copy_into(self.model, old)
        _copy_into(self.twin, self.model.state_dict())
        self.opt = nn.optim.Adam(self.model.parameters(), lr=0.05)
        self.twin_opt = nn.optim.Adam(self.twin.parameters(), lr=0.05)
        self.expected = {k: v.clone() for k, v in self.model.state_dict().items()}

    @rule(seed=st.integers(0, 2**16))
    def train_step(self, seed: int) -> None:
        rng = np.random.default_rng(seed)
        x, y = rng.standard_normal((4, WIDTH)), rng.standard_normal((4, WIDTH))
        for model, opt in ((self.model, self.opt), (self.twin, self.twin_opt)):
            loss = F.mse_loss(model(ag.tensor(x)), ag.tensor(y))
            opt.zero_grad()
            loss.backward()
            opt.step()
        self.expected = {k: v.clone() for k, v in self.twin.state_dict().items()}

    @rule()
    def save_and_load_into_fresh_objects(self) -> None:
        self.saves += 1
        model_path, opt_path = self.dir / f"model{self.saves}.npz", self.dir / f"opt{self.saves}.npz"
        nn.save(self.model.state_dict(), model_path)
        nn.save(self.opt.state_dict(), opt_path)
        self.model = _build(self.layers)  # fresh weights: a lost key would show as a changed value
        self.model.load_state_dict(nn.load(model_path))
        self.opt = nn.optim.Adam(self.model.parameters(), lr=0.05)
        self.opt.load_state_dict(nn.load(opt_path))

    @invariant()
    def no_parameter_lost_or_reset(self) -> None:
        state = self.model.state_dict()
        assert state.keys() == self.expected.keys()
        for key, value in self.expected.items():
            assert np.array_equal(state[key], value), f"{key} changed"

    @invariant()
    def optimizer_state_survives(self) -> None:
        mine, twins = self.opt.state_dict(), self.twin_opt.state_dict()
        assert mine["param_groups"] == twins["param_groups"]
        assert mine["state"].keys() == twins["state"].keys()
        for index, entry in twins["state"].items():
            for name, value in entry.items():
                assert np.array_equal(mine["state"][index][name], value), f"state {name} of {index} differs"


Checkpoints.TestCase.settings = settings(max_examples=15, stateful_step_count=12, deadline=None)
TestCheckpoints = Checkpoints.TestCase
