// Shared by the browser test pages (served by BrowserPage at /common.js): progress notes that
// reach the test as they happen, bounded ICE gathering, the data channel that says hello, the
// getStats counters the tests judge, and the one report a page sends. A page sets `pc`, may add
// fields to `reportFields`, and calls report() once it has seen enough or given up.
const T0 = performance.now();
const ms = () => Math.round(performance.now() - T0);
const timeline = [];
const messages = [];
const reportFields = {};
let pc = null;
let reported = false;

// Progress lines go to the test as they happen, so a page that never reports still leaves a trace.
const note = (m) => {
  timeline.push(ms() + 'ms ' + m);
  fetch('/log', {method: 'POST', body: ms() + 'ms ' + m}).catch(() => {});
};

async function gathered() {
  if (pc.iceGatheringState === 'complete') return;
  await new Promise(resolve => {
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') resolve();
    });
    setTimeout(resolve, 5000); // bounded: the test then sees which candidates were missing
  });
}

function wireChannel(dc) {
  dc.onopen = () => { note('dc open ' + dc.label); dc.send('hello from browser'); };
  dc.onmessage = (e) => { messages.push(String(e.data)); note('dc message ' + e.data); };
  dc.onclose = () => note('dc close ' + dc.label);
  // An aborted association (not a stream reset or SHUTDOWN) fires error before close.
  dc.onerror = (e) => note('dc error ' + dc.label + ': ' + (e.error ? e.error.message : e));
}

async function counters() {
  const c = {audioPacketsReceived: 0, audioPacketsSent: 0, framesDecoded: 0, videoPacketsReceived: 0};
  (await pc.getStats()).forEach(s => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') c.audioPacketsReceived += s.packetsReceived || 0;
    if (s.type === 'outbound-rtp' && s.kind === 'audio') c.audioPacketsSent += s.packetsSent || 0;
    if (s.type === 'inbound-rtp' && s.kind === 'video') {
      c.framesDecoded += s.framesDecoded || 0;
      c.videoPacketsReceived += s.packetsReceived || 0;
    }
  });
  return c;
}

// Sends everything once, as form fields: the counters, the state, the messages and the timeline.
async function report(extra) {
  if (reported) return;
  reported = true;
  Object.assign(reportFields, extra || {});
  try {
    if (pc) Object.assign(reportFields, await counters());
  } catch (e) { reportFields.statsError = String(e); }
  reportFields.connectionState = pc ? pc.connectionState : 'none';
  reportFields.messages = messages.join('\n');
  reportFields.timeline = timeline.join('\n');
  await fetch('/report', {method: 'POST', body: new URLSearchParams(reportFields)});
}

window.onerror = (m) => report({error: 'JS error ' + m});
window.onunhandledrejection = (e) => report({error: 'unhandled rejection ' + e.reason});
