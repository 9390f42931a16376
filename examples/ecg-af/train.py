"""Train a small 1-D CNN that classifies 30 s single-lead ECG into AF | normal | other | noisy."""

import csv
import random
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import f1_score
from torch import nn
from torch.utils.data import DataLoader, Dataset

# Hyperparameters: every value here is part of an experiment's state.
LEARNING_RATE = 3e-4
BATCH_SIZE = 64
HIDDEN = 64
DROPOUT = 0.3
EPOCHS = 5
TRAIN_SIZE = 1500
FLIP_INVERTED = True  # multiply recordings flagged as inverted by -1
WEIGHT_DECAY = 1e-4

# Plumbing: not hyperparameters.
DATA_DIR = Path("data/cinc2017")
LOG_EVERY = 20
DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
NUM_WORKERS = 2
SEED = 13

CLASSES = ["AF", "normal", "other", "noisy"]
SAMPLES_PER_RECORDING = 9000  # 30 s at 300 Hz

random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)


class EcgRecordings(Dataset):
    """One .npy per recording; label, split, lead polarity and noise level in index.csv."""

    def __init__(self, split: str, limit: int | None = None):
        with open(DATA_DIR / "index.csv", newline="") as index_file:
            rows = [row for row in csv.DictReader(index_file) if row["split"] == split]
        self.rows = rows[:limit] if limit else rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, position: int):
        row = self.rows[position]
        signal = np.load(DATA_DIR / f"{row['id']}.npy").astype(np.float32)
        signal = signal[:SAMPLES_PER_RECORDING]
        signal = np.pad(signal, (0, SAMPLES_PER_RECORDING - len(signal)))
        if FLIP_INVERTED and row["lead"] == "inverted":
            signal = -signal
        signal = (signal - signal.mean()) / (signal.std() + 1e-6)
        label = CLASSES.index(row["label"])
        return row["id"], torch.from_numpy(signal).unsqueeze(0), label


class EcgNet(nn.Module):
    """Four strided convolutions, global average pooling, one linear head."""

    def __init__(self, hidden: int, dropout: float):
        super().__init__()

        def block(channels_in: int, channels_out: int) -> nn.Sequential:
            return nn.Sequential(
                nn.Conv1d(channels_in, channels_out, kernel_size=15, stride=2, padding=7),
                nn.BatchNorm1d(channels_out),
                nn.ReLU(),
                nn.MaxPool1d(2),
            )

        self.features = nn.Sequential(
            block(1, hidden // 2),
            block(hidden // 2, hidden),
            block(hidden, hidden),
            block(hidden, hidden),
        )
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden, len(CLASSES))

    def forward(self, signals: torch.Tensor) -> torch.Tensor:
        pooled = self.features(signals).mean(dim=-1)
        return self.head(self.dropout(pooled))


def evaluate(model: nn.Module, loader: DataLoader):
    """Return macro F1 and the per-example predictions (id, label, pred, confidence)."""
    model.eval()
    rows = []
    with torch.no_grad():
        for ids, signals, labels in loader:
            probabilities = model(signals.to(DEVICE)).softmax(dim=-1).cpu()
            confidence, predicted = probabilities.max(dim=-1)
            for example_id, label, pred, conf in zip(ids, labels, predicted, confidence):
                rows.append((example_id, CLASSES[int(label)], CLASSES[int(pred)], float(conf)))
    macro_f1 = f1_score([r[1] for r in rows], [r[2] for r in rows], average="macro")
    return macro_f1, rows


def save_predictions(rows_by_split: dict, tags: dict, path: Path) -> None:
    # Per-example predictions plus tags are what error analysis reads: keep every split.
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "label", "pred", "confidence", "split", "noise_level", "lead"])
        for split, rows in rows_by_split.items():
            for example_id, label, pred, confidence in rows:
                noise_level, lead = tags[example_id]
                writer.writerow([example_id, label, pred, f"{confidence:.3f}", split, noise_level, lead])


def main() -> None:
    train_set = EcgRecordings("train", limit=TRAIN_SIZE)
    dev_set = EcgRecordings("dev")
    train_loader = DataLoader(
        train_set, batch_size=BATCH_SIZE, shuffle=True, num_workers=NUM_WORKERS
    )
    train_eval_loader = DataLoader(train_set, batch_size=BATCH_SIZE, num_workers=NUM_WORKERS)
    dev_loader = DataLoader(dev_set, batch_size=BATCH_SIZE, num_workers=NUM_WORKERS)

    model = EcgNet(hidden=HIDDEN, dropout=DROPOUT).to(DEVICE)
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY
    )
    loss_function = nn.CrossEntropyLoss()

    for epoch in range(EPOCHS):
        model.train()
        for step, (_, signals, labels) in enumerate(train_loader):
            optimizer.zero_grad()
            loss = loss_function(model(signals.to(DEVICE)), labels.to(DEVICE))
            loss.backward()
            optimizer.step()
            if step % LOG_EVERY == 0:
                print(f"epoch {epoch} step {step} loss {loss.item():.4f}")

    train_f1, train_rows = evaluate(model, train_eval_loader)
    val_f1, dev_rows = evaluate(model, dev_loader)
    print(f"train_f1 {train_f1:.3f}  val_f1 {val_f1:.3f}")
    tags = {row["id"]: (row["noise_level"], row["lead"]) for row in train_set.rows + dev_set.rows}
    save_predictions(
        {"train": train_rows, "dev": dev_rows}, tags, Path("runs/latest/predictions.csv")
    )

    try:
        from paribus import record
    except ImportError:
        return
    record(train_f1=round(train_f1, 3), val_f1=round(val_f1, 3))


if __name__ == "__main__":
    main()
