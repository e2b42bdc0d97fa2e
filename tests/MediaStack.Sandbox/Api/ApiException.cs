using System.Text.Json.Nodes;

namespace MediaStack.Sandbox.Api;

// An error the API answers with a metav1.Status body, as kube-apiserver does.
public sealed class ApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;
    public string Reason { get; } = reason;
    public JsonObject? Details { get; } = details;
    public int? RetryAfterSeconds { get; init; }

    public JsonObject ToStatus() => Status.Failure(Code, Reason, Message, Details);

    static JsonObject DetailsOf(GroupResourceName target) => new()
    {
        ["name"] = target.Name is { Length: > 0 } ? target.Name : null,
        ["group"] = target.Group is { Length: > 0 } ? target.Group : null,
        ["kind"] = target.Resource,
    };

    public static ApiException NotFound(string group, string resource, string name) =>
        new(404, "NotFound", $"{Qualified(group, resource)} \"{name}\" not found",
            DetailsOf(new(group, resource, name)));

    public static ApiException NotFoundPath() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static ApiException AlreadyExists(string group, string resource, string name) =>
        new(409, "AlreadyExists", $"{Qualified(group, resource)} \"{name}\" already exists",
            DetailsOf(new(group, resource, name)));

    public static ApiException Conflict(string group, string resource, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(group, resource)} \"{name}\": {why}",
            DetailsOf(new(group, resource, name)));

    public const string StaleObjectMessage =
        "the object has been modified; please apply your changes to the latest version and try again";

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException MethodNotAllowed() =>
        new(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new JsonObject());

    public static ApiException UnsupportedMediaType(string contentType, IEnumerable<string> accepted) =>
        new(415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}");

    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public static ApiException Forbidden(string group, string resource, string name, string message) =>
        new(403, "Forbidden", message, DetailsOf(new(group, resource, name)));

    // A request kube-apiserver rejects with field errors (422 Invalid).
    public static ApiException Invalid(string group, string kind, string name, IReadOnlyList<FieldError> errors)
    {
        var causes = new JsonArray();
        foreach (var e in errors)
            causes.Add(new JsonObject { ["reason"] = e.Reason, ["message"] = e.Detail, ["field"] = e.Field });
        var qualifiedKind = group.Length > 0 ? $"{kind}.{group}" : kind;
        var list = errors.Count == 1 ? errors[0].ToString() : $"[{string.Join(", ", errors.Select(e => e.ToString()))}]";
        return new ApiException(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {list}", new JsonObject
        {
            ["name"] = name.Length > 0 ? name : null,
            ["group"] = group.Length > 0 ? group : null,
            ["kind"] = kind,
            ["causes"] = causes,
        });
    }

    public static string Qualified(string group, string resource) => group.Length > 0 ? $"{resource}.{group}" : resource;
}

public sealed record GroupResourceName(string Group, string Resource, string Name);

// One field error of a 422 answer; ToString gives the apimachinery field.Error text.
public sealed record FieldError(string Field, string Type, string Detail, string Reason)
{
    public override string ToString() => $"{Field}: {Detail}";

    public static FieldError Required(string field, string detail = "") =>
        new(field, "Required value", detail.Length > 0 ? $"Required value: {detail}" : "Required value", "FieldValueRequired");

    public static FieldError Invalid(string field, string valueText, string detail) =>
        new(field, "Invalid value", $"Invalid value: {valueText}: {detail}", "FieldValueInvalid");

    public static FieldError Forbidden(string field, string detail) =>
        new(field, "Forbidden", $"Forbidden: {detail}", "FieldValueForbidden");

    public static FieldError NotSupported(string field, string valueText, IEnumerable<string> supported) =>
        new(field, "Unsupported value",
            $"Unsupported value: {valueText}: supported values: {string.Join(", ", supported.Select(s => $"\"{s}\""))}",
            "FieldValueNotSupported");
}

public static class Status
{
    public static JsonObject Failure(int code, string reason, string message, JsonObject? details)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null) status["details"] = Compact(details);
        status["code"] = code;
        return status;
    }

    public static JsonObject Success(JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
        };
        if (details is not null) status["details"] = Compact(details);
        return status;
    }

    // metav1 omits empty fields; so do we.
    static JsonObject Compact(JsonObject o)
    {
        var copy = (JsonObject)o.DeepClone();
        foreach (var key in copy.Select(p => p.Key).ToList())
            if (copy[key] is null) copy.Remove(key);
        return copy;
    }
}
