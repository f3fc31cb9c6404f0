package io.github.jpeer.signaling.mqtt;

import io.github.jpeer.signaling.internal.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON-RPC 2.0 messages and the MQTT topics of libpeer's signaling, shared by the device side
 * ({@link PeerRpcHandler}, {@link MqttSignaling}) and the controller side ({@link MqttPeerClient}).
 *
 * <p>A libpeer device with client id {@code dev} subscribes to {@code webrtc/dev/jsonrpc} and
 * publishes every reply to {@code webrtc/dev/jsonrpc-reply}, both at QoS 0.
 */
final class JsonRpc {
  static final String VERSION = "2.0";

  private JsonRpc() {}

  /** The topic a device with {@code clientId} receives requests on. */
  static String requestTopic(String clientId) {
    return "webrtc/" + clientId + "/jsonrpc";
  }

  /** The topic a device with {@code clientId} publishes replies on. */
  static String replyTopic(String clientId) {
    return "webrtc/" + clientId + "/jsonrpc-reply";
  }

  /**
   * Checks that {@code clientId} can be a topic level: MQTT wildcards or a '/' would make the
   * device listen on, or answer to, other devices' topics.
   */
  static String checkClientId(String clientId, String what) {
    if (clientId == null || clientId.isEmpty()) {
      throw new IllegalArgumentException(what + " is missing: set the device's client id");
    }
    for (int i = 0; i < clientId.length(); i++) {
      char c = clientId.charAt(i);
      if (c == '/' || c == '+' || c == '#' || c == '\0') {
        throw new IllegalArgumentException(
            what + " '" + clientId + "' contains '" + c + "': it must be one MQTT topic level");
      }
    }
    return clientId;
  }

  /** {@code {"jsonrpc":"2.0","id":id,"method":method[,"params":params]}}. */
  static String request(Object id, String method, Object params) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jsonrpc", VERSION);
    m.put("id", id);
    m.put("method", method);
    if (params != null) {
      m.put("params", params);
    }
    return Json.write(m);
  }

  /** {@code {"jsonrpc":"2.0","id":id,"result":result}}. */
  static String result(Object id, Object result) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jsonrpc", VERSION);
    m.put("id", id);
    m.put("result", result);
    return Json.write(m);
  }

  /**
   * {@code {"jsonrpc":"2.0","id":id,"error":{"code":code,"message":...,"data":detail}}}: the
   * message is the specification's fixed text for the code (what libpeer sends), the detail says
   * what exactly was wrong.
   */
  static String error(Object id, int code, String detail) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("code", code);
    e.put("message", standardMessage(code));
    if (detail != null) {
      e.put("data", detail);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jsonrpc", VERSION);
    m.put("id", id);
    m.put("error", e);
    return Json.write(m);
  }

  /** The JSON-RPC 2.0 specification's message for the predefined codes (section 5.1). */
  static String standardMessage(int code) {
    return switch (code) {
      case PeerRpcHandler.PARSE_ERROR -> "Parse error";
      case PeerRpcHandler.INVALID_REQUEST -> "Invalid Request";
      case PeerRpcHandler.METHOD_NOT_FOUND -> "Method not found";
      case PeerRpcHandler.INVALID_PARAMS -> "Invalid params";
      case PeerRpcHandler.INTERNAL_ERROR -> "Internal error";
      default -> "Server error";
    };
  }
}
