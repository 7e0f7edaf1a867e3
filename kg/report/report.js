/* newskg report: the actor filter. Everything works without this script; it only hides what does not involve the chosen actor. */
(function () {
  "use strict";
  var bar = document.getElementById("filterbar");
  var select = document.getElementById("actor-filter");
  var clear = document.getElementById("filter-clear");
  var status = document.getElementById("filter-status");
  if (!bar || !select || !clear || !status) { return; }
  var items = document.querySelectorAll("[data-actors]");
  var nodes = document.querySelectorAll(".node[data-actor]");
  var names = {};
  for (var o = 0; o < select.options.length; o++) { names[select.options[o].value] = select.options[o].text; }
  var current = "";

  function apply(id) {
    current = id || "";
    var needle = " " + current + " ";
    var events = 0, claims = 0;
    for (var i = 0; i < items.length; i++) {
      var el = items[i];
      var on = !current || (" " + el.getAttribute("data-actors") + " ").indexOf(needle) >= 0;
      el.classList.toggle("off", !on);
      if (on && el.tagName === "LI") { events++; }
      if (on && el.tagName === "TR") { claims++; }
    }
    for (var n = 0; n < nodes.length; n++) {
      var sel = nodes[n].getAttribute("data-actor") === current && current !== "";
      nodes[n].classList.toggle("sel", sel);
      nodes[n].setAttribute("aria-pressed", sel ? "true" : "false");
    }
    select.value = current;
    document.body.classList.toggle("filtered", !!current);
    status.textContent = current
      ? "Showing " + events + " events and " + claims + " allegations involving " + (names[current] || current) + "."
      : "";
  }

  function toggle(id) { apply(current === id ? "" : id); }

  for (var k = 0; k < nodes.length; k++) {
    nodes[k].addEventListener("click", function (ev) { toggle(ev.currentTarget.getAttribute("data-actor")); });
    nodes[k].addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " " || ev.key === "Spacebar") {
        ev.preventDefault();
        toggle(ev.currentTarget.getAttribute("data-actor"));
      }
    });
  }
  var buttons = document.querySelectorAll(".fbtn[data-filter]");
  for (var b = 0; b < buttons.length; b++) {
    buttons[b].hidden = false;
    buttons[b].addEventListener("click", function (ev) { toggle(ev.currentTarget.getAttribute("data-filter")); });
  }
  var hints = document.querySelectorAll(".js-only");
  for (var h = 0; h < hints.length; h++) { hints[h].hidden = false; }
  select.addEventListener("change", function () { apply(select.value); });
  clear.addEventListener("click", function () { apply(""); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && current) { apply(""); }
  });
  bar.hidden = false;
})();
