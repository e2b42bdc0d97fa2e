namespace MediaStack.Sandbox.Controllers;

// One reconcile pass over everything the controller owns; cheap enough to run after every
// store change. A pass only writes what differs, so passes converge.
public interface IController
{
    string Name { get; }
    void Reconcile();
}
