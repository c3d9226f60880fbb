/**
 * Side-effect module: loads the server side (JWT signing, the demo token route) before lib/dom gives this process a
 * browser-like `window`. The bench process plays both the backend and the page, and the server entry rightly refuses to
 * load where a DOM exists; once loaded, the sections import it as usual.
 */
import '../../src/server/index';
import '../../examples/demo-token-route';
