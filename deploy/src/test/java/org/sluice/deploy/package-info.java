/** Tests of the deployment recipes: the Helm chart linted and rendered, its manifests read as typed Kubernetes objects. */
package org.sluice.deploy;
