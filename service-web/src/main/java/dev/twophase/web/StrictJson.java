package dev.twophase.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/** JSON settings both services share. */
public final class StrictJson {

    private StrictJson() {}

    /**
     * Ids and amounts are JSON strings: a number or a boolean where a string belongs is a 400 naming the field, not
     * quietly turned into text (an amount sent as a JSON number may already have been rounded by the client).
     */
    public static JsonMapperBuilderCustomizer stringsAreStrings() {
        return builder -> builder.withCoercionConfig(
                LogicalType.Textual, config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }
}
