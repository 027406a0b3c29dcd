/**
 * Peers are measured by their own scripts in bench/peers/, never installed as deeptype
 * dependencies: this says which commands compare deeptype with them.
 */
export function printPeers(log: (line: string) => void): void {
  log('\npeers (none of them is a deeptype dependency; each script runs when its framework is importable):');
  log('  model A step and inference beside Keras 3: npx tsx bench/step.ts --rounds 5 --peers keras --keras-python <venv>/bin/python');
  log('  the lecture epoch beside Keras 3 and PyTorch: npx tsx bench/epoch.ts --rounds 3 --peers keras,torch --keras-python <venv>/bin/python');
  log('    (Keras: python3 -m venv <venv> && <venv>/bin/pip install tensorflow-cpu; PyTorch: apt-get install -y python3-torch python3-torchvision)');
  log('  SqueezeNet 1.1 base in PyTorch: /usr/bin/python3 bench/peers/squeezenet.py --channels-last');
}
