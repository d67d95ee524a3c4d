// Drag-and-drop upload with a progress line per file. Without this script the form still
// posts normally. No inline script anywhere: the page's CSP allows only this file.
"use strict";
(function () {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const input = document.getElementById("files");
  const zone = document.getElementById("dropzone");
  const list = document.getElementById("upload-progress");
  const token = form.querySelector("input[name=csrf_token]").value;

  function row(name) {
    const li = document.createElement("li");
    li.className = "upload-row";
    const label = document.createElement("span");
    label.className = "name";
    label.textContent = name;
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    const status = document.createElement("span");
    status.className = "status";
    status.textContent = form.dataset.uploading;
    li.append(label, bar, status);
    list.append(li);
    return { li, bar, status };
  }

  function show(view, line) {
    line.li.dataset.status = view.status;
    line.li.className = "upload-row upload-" + view.status;
    line.status.textContent = view.message;
    if (view.document) {
      const a = document.createElement("a");
      a.href = view.document.url;
      a.textContent = " " + form.dataset.open;
      line.status.append(a);
    }
  }

  function poll(id, line) {
    fetch("/api/uploads/" + id, { headers: { Accept: "application/json" } })
      .then((r) => r.json())
      .then((view) => {
        show(view, line);
        if (view.status === "queued" || view.status === "running") {
          setTimeout(() => poll(id, line), 1000);
        }
      })
      .catch(() => setTimeout(() => poll(id, line), 2000));
  }

  function send(file) {
    const line = row(file.name);
    const data = new FormData();
    data.append("csrf_token", token);
    data.append("files", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/submit");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRF-Token", token);
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) line.bar.value = Math.round((100 * e.loaded) / e.total);
    });
    xhr.addEventListener("load", () => {
      line.bar.value = 100;
      let views;
      try { views = JSON.parse(xhr.responseText); } catch (err) { views = null; }
      if (!Array.isArray(views)) {
        line.li.className = "upload-row upload-error";
        line.status.textContent = (views && views.message) || xhr.statusText;
        return;
      }
      const view = views[0];
      show(view, line);
      if (view.status === "queued" || view.status === "running") poll(view.id, line);
    });
    xhr.addEventListener("error", () => {
      line.li.className = "upload-row upload-error";
      line.status.textContent = "network error";
    });
    xhr.send(data);
  }

  function sendAll(files) {
    Array.from(files).forEach(send);
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    sendAll(input.files);
    input.value = "";
  });
  input.addEventListener("change", () => {
    sendAll(input.files);
    input.value = "";
  });
  ["dragenter", "dragover"].forEach((type) =>
    zone.addEventListener(type, (e) => { e.preventDefault(); zone.classList.add("over"); }));
  ["dragleave", "drop"].forEach((type) =>
    zone.addEventListener(type, (e) => { e.preventDefault(); zone.classList.remove("over"); }));
  zone.addEventListener("drop", (e) => sendAll(e.dataTransfer.files));
})();
