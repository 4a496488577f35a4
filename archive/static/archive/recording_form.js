/* The recording form: a plain-language preview of who will see the record and hear the audio
   (with what the chosen labels add), and a language picker that finds ISO 639-3 codes by name. */
(function () {
  "use strict";
  var form = document.getElementById("recording-form");
  if (!form) return;
  var RANK = { "public": 0, "registered": 1, "community": 2, "stewards": 4 };
  var KEEP_INSIDE = ["tk_secret_sacred", "tk_men_restricted", "tk_women_restricted"];

  function chosen(select) {
    var option = select.options[select.selectedIndex];
    return { value: option.value, text: option.text, rank: option.value in RANK ? RANK[option.value] : 3 };
  }
  function checkedLabels() {
    return Array.prototype.filter.call(form.querySelectorAll("input[name=labels]"), function (box) { return box.checked; })
      .map(function (box) { return box.value; });
  }
  function preview() {
    var record = form.querySelector("#id_record_protocol"), media = form.querySelector("#id_media_protocol");
    if (!record || !media) return;
    var r = chosen(record), m = chosen(media), inside = checkedLabels().some(function (c) { return KEEP_INSIDE.indexOf(c) >= 0; });
    var community = form.querySelector("#id_community");
    var name = community && community.value ? community.options[community.selectedIndex].text : gettext("the community");
    var tail = inside ? " " + interpolate(gettext("Its labels keep it inside %(community)s whatever this says."), { community: name }, true) : "";
    document.getElementById("who-sees").textContent = interpolate(gettext("Who will see the record: %(who)s."), { who: r.text }, true) + tail;
    var hears = document.getElementById("who-hears");
    if (m.rank < r.rank) {
      hears.textContent = gettext("The audio must be at least as closed as the record: choose the same or fewer people.");
      hears.className = "error";
    } else {
      hears.textContent = interpolate(gettext("Who will hear the audio: %(who)s."), { who: m.text }, true) + tail;
      hears.className = "";
    }
  }
  form.addEventListener("change", preview);
  preview();

  var input = form.querySelector("#id_languages"), list = document.getElementById("language-matches");
  var endpoint = form.dataset.languages, pending = null;
  function lastPart() { var parts = input.value.split(","); return parts[parts.length - 1].trim(); }
  function choose(code) {
    var parts = input.value.split(",").map(function (p) { return p.trim(); }).filter(Boolean);
    parts[parts.length ? parts.length - 1 : 0] = code;
    input.value = parts.join(", ") + ", ";
    list.textContent = "";
    input.focus();
  }
  if (input && list && endpoint) {
    input.addEventListener("input", function () {
      var query = lastPart();
      clearTimeout(pending);
      if (query.length < 2) { list.textContent = ""; return; }
      pending = setTimeout(function () {
        fetch(endpoint + "?q=" + encodeURIComponent(query), { headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) {
            list.textContent = "";
            data.results.slice(0, 8).forEach(function (lang) {
              var item = document.createElement("li"), button = document.createElement("button");
              button.type = "button";
              button.className = "link";
              button.dataset.code = lang.code;
              button.textContent = lang.name + " (" + lang.code + ")";
              button.addEventListener("click", function () { choose(lang.code); });
              item.appendChild(button);
              list.appendChild(item);
            });
          });
      }, 200);
    });
  }
})();
