// The vary page: a passage chosen on the notes the model learned from the recording. The first
// note clicked sets where the passage starts, the next where it ends (either order); the notes
// between are marked. The list shown is the chosen model's (each model froze its own notes).
(function () {
  "use strict";
  const form = document.getElementById("vary");
  if (!form) return;
  const start = form.elements.start;
  const end = form.elements.end;
  let first = null;

  function mark(list) {
    const from = parseFloat(start.value);
    const to = parseFloat(end.value);
    list.querySelectorAll(".note-chip").forEach((chip) => {
      const inside = parseFloat(chip.dataset.start) >= from - 0.001 && parseFloat(chip.dataset.end) <= to + 0.001;
      chip.classList.toggle("in-passage", inside);
      chip.setAttribute("aria-pressed", inside ? "true" : "false");
    });
  }

  function show() {
    document.querySelectorAll(".learned-notes").forEach((list) => {
      list.hidden = list.dataset.model !== form.elements.model.value;
      if (!list.hidden) mark(list);
    });
  }

  form.elements.model.addEventListener("change", show);
  document.querySelectorAll(".learned-notes").forEach((list) => {
    list.addEventListener("click", (event) => {
      const chip = event.target.closest(".note-chip");
      if (!chip) return;
      if (first === null) {
        first = chip;
        start.value = chip.dataset.start;
        end.value = chip.dataset.end;
      } else {
        const [a, b] = parseFloat(chip.dataset.start) < parseFloat(first.dataset.start) ? [chip, first] : [first, chip];
        start.value = a.dataset.start;
        end.value = b.dataset.end;
        first = null;
      }
      mark(list);
    });
  });
  show();
})();
