namespace MediaStack.Core;
internal static class Placeholder { }
