/*
 * LTI platform storage client (1EdTech "LTI Client Side postMessages", lti.put_data / lti.get_data): asks the
 * platform window or frame named by lti_storage_target to keep a value for this tool, or to give it back.
 * Tries the current subjects (lti.put_data / lti.get_data) and then the legacy ones
 * (org.imsglobal.lti.*) that Brightspace components still use. Messages go only to the origin of the
 * platform's authentication endpoint, and only answers from that origin are read.
 */
(function () {
  'use strict';

  function targetWindow(name) {
    if (!name || name === '_parent') {
      return window.parent;
    }
    if (name === '_top') {
      return window.top;
    }
    try {
      var frame = window.parent.frames[name]; // Canvas: post_message_forwarding, Blackboard: lti_storage_frame
      if (frame) {
        return frame;
      }
    } catch (e) {
      // fall back to the parent window
    }
    return window.parent;
  }

  function send(win, origin, subject, payload, timeoutMs) {
    return new Promise(function (resolve, reject) {
      var id = 'lti-publisher-' + Math.random().toString(36).slice(2) + Date.now().toString(36);
      var timer = setTimeout(function () {
        window.removeEventListener('message', onMessage);
        reject(new Error(subject + ': no answer'));
      }, timeoutMs);
      function onMessage(event) {
        var data = event.data;
        if (event.origin !== origin || !data || data.message_id !== id || data.subject !== subject + '.response') {
          return;
        }
        clearTimeout(timer);
        window.removeEventListener('message', onMessage);
        if (data.error) {
          reject(new Error(subject + ': ' + (data.error.message || data.error.code || 'error')));
        } else {
          resolve(data);
        }
      }
      window.addEventListener('message', onMessage);
      var message = { subject: subject, message_id: id };
      Object.keys(payload).forEach(function (k) { message[k] = payload[k]; });
      win.postMessage(message, origin);
    });
  }

  function call(target, origin, name, payload) {
    var win = targetWindow(target);
    return send(win, origin, 'lti.' + name, payload, 1500).catch(function () {
      return send(win, origin, 'org.imsglobal.lti.' + name, payload, 1500);
    });
  }

  window.ltiStorage = {
    put: function (target, origin, key, value) {
      return call(target, origin, 'put_data', { key: key, value: value });
    },
    get: function (target, origin, key) {
      return call(target, origin, 'get_data', { key: key }).then(function (answer) { return answer.value; });
    }
  };
})();
