// Preloaded by LocalKinesis (node --require loopback.js main.js): kinesis-local binds every interface
// (0.0.0.0, hard-coded, no setting for it), and a local test server must be reachable from this machine only.
// This binds its listening sockets to 127.0.0.1 instead; nothing else about the server changes.
'use strict';
const net = require('net');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || typeof args[0] === 'string' && /^\d+$/.test(args[0])) {
    // listen(port[, host][, backlog][, callback]): put loopback in the host's place
    if (typeof args[1] === 'string') {
      args[1] = '127.0.0.1';
    } else {
      args.splice(1, 0, '127.0.0.1');
    }
  } else if (args[0] !== null && typeof args[0] === 'object' && args[0].port !== undefined) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
