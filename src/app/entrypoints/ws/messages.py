"""Canvas websocket protocol (JSON text frames). Documented in README and /docs.

Client -> server: `op`, `cursor`, `ping`.
Server -> client: `snapshot`, `replay`, `op`, `ack`, `error`, `presence`, `cursor`, `pong`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

LayerId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Props = dict[str, Any]


class LayerIn(msgspec.Struct, forbid_unknown_fields=True):
    id: LayerId
    type: Literal["text", "image", "rect", "ellipse", "line", "group"]
    props: Props = msgspec.field(default_factory=dict)


class AddLayer(msgspec.Struct, tag="add_layer", tag_field="kind", forbid_unknown_fields=True):
    layer: LayerIn
    index: Annotated[int, msgspec.Meta(ge=0)] | None = None


class UpdateLayer(msgspec.Struct, tag="update_layer", tag_field="kind", forbid_unknown_fields=True):
    layer_id: LayerId
    props: Annotated[Props, msgspec.Meta(min_length=1)]


class RemoveLayer(msgspec.Struct, tag="remove_layer", tag_field="kind", forbid_unknown_fields=True):
    layer_id: LayerId


class ReorderLayer(msgspec.Struct, tag="reorder_layer", tag_field="kind", forbid_unknown_fields=True):
    layer_id: LayerId
    index: Annotated[int, msgspec.Meta(ge=0)]


class SetCanvas(msgspec.Struct, tag="set_canvas", tag_field="kind", forbid_unknown_fields=True):
    width: Annotated[int, msgspec.Meta(ge=16, le=8192)] | None = None
    height: Annotated[int, msgspec.Meta(ge=16, le=8192)] | None = None
    background: Annotated[str, msgspec.Meta(max_length=64)] | None = None


Operation = AddLayer | UpdateLayer | RemoveLayer | ReorderLayer | SetCanvas


class OpMessage(msgspec.Struct, tag="op", tag_field="type", forbid_unknown_fields=True):
    client_op_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    op: Operation
    base_version: Annotated[int, msgspec.Meta(ge=0)] | None = None


class CursorMessage(msgspec.Struct, tag="cursor", tag_field="type", forbid_unknown_fields=True):
    x: float
    y: float


class PingMessage(msgspec.Struct, tag="ping", tag_field="type"):
    pass


ClientMessage = OpMessage | CursorMessage | PingMessage
decode_client_message = msgspec.json.Decoder(ClientMessage).decode
encode = msgspec.json.encode
