/**
 * The console's stylesheet and its one script, served from the same origin (no CDN; the content
 * security policy allows nothing else). The script only refreshes the live region: every page reads
 * fully without it.
 */
export const CONSOLE_CSS = `
:root{--fg:#1b1b1b;--muted:#5f6368;--line:#dadce0;--bg:#fff;--accent:#1f5fa8}
*{box-sizing:border-box}body{font:15px/1.45 system-ui,sans-serif;margin:0;color:var(--fg);background:var(--bg)}
header.top{display:flex;gap:1rem;align-items:center;padding:.6rem 1.2rem;border-bottom:1px solid var(--line)}
header.top a{color:inherit;text-decoration:none;font-weight:600}
main{max-width:72rem;margin:0 auto;padding:1rem 1.2rem 3rem}
h1{font-size:1.35rem;margin:.4rem 0}h2{font-size:1.1rem;margin:1.6rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:.85rem}
.sev{display:inline-block;min-width:3.2rem;text-align:center;border-radius:3px;padding:0 .3rem;font-weight:600;color:#fff;background:#777}
.sev-SEV1{background:#8e1111}.sev-SEV2{background:#c0360c}.sev-SEV3{background:#a76a00}.sev-SEV4{background:#51606b}
.status{font-size:.85rem;font-weight:600}.muted{color:var(--muted)}
form.filters{display:flex;gap:.6rem;flex-wrap:wrap;align-items:end;margin:.6rem 0}
label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
input,select,textarea,button{font:inherit;padding:.3rem .5rem}
button{cursor:pointer}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:.4rem 1rem;margin:.6rem 0}
.facts div span{display:block;font-size:.8rem;color:var(--muted)}
dl.brief dt{font-weight:600}dl.brief dd{margin:0 0 .4rem}
.chart{width:100%;max-width:44rem;height:auto;border:1px solid var(--line);background:#fcfcfc}
.evidence{border:1px solid var(--line);border-radius:4px;padding:.5rem .7rem;margin:.5rem 0}
.evidence:target{outline:2px solid var(--accent)}
.cited{font-size:.75rem;font-weight:600;color:#fff;background:var(--accent);border-radius:3px;padding:0 .3rem}
pre,code{font-family:ui-monospace,monospace;font-size:.85rem}pre{white-space:pre-wrap;background:#f6f8fa;padding:.5rem}
.decide{display:flex;gap:1rem;flex-wrap:wrap}.decide form{border:1px solid var(--line);padding:.7rem;border-radius:4px;flex:1 1 18rem}
.approve button{background:#1b7f3b;color:#fff;border:0}.reject button{background:#8e1111;color:#fff;border:0}
.postmortem{border-left:3px solid var(--line);padding-left:1rem}
form.close,form.review{border:1px solid var(--line);padding:.7rem;border-radius:4px;max-width:40rem;display:flex;flex-direction:column;gap:.4rem}
form.close button,form.review button{align-self:start}
`;

export const CONSOLE_JS = `(function(){
  var live=document.querySelector('[data-live]');
  if(!live||!window.fetch)return;
  var url=live.getAttribute('data-live');
  function editing(){
    var a=document.activeElement;
    if(a&&live.contains(a)&&/^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(a.tagName))return true;
    var fields=live.querySelectorAll('input:not([type=hidden]),textarea,select');
    for(var i=0;i<fields.length;i++)if(fields[i].value)return true;
    return false;
  }
  function tick(){
    if(editing())return;
    fetch(url,{credentials:'same-origin',headers:{accept:'text/html'}}).then(function(r){
      if(!r.ok)return;
      return r.text().then(function(t){
        if(editing())return;
        if(live.innerHTML!==t)live.innerHTML=t;
        document.documentElement.setAttribute('data-refreshed',String(Date.now()));
      });
    }).catch(function(){});
  }
  setInterval(tick,Number(live.getAttribute('data-every'))||3000);
})();`;
